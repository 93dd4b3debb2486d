"""Find, build and install the MediaPipe pose bundle ``pose_landmarker_full.task``.

Google's model storage, where the official ``.task`` bundles live, is often unreachable, while the
package registry is not. The mediapipe 0.10.21 wheel ships the two BlazePose GHUM TFLite models
(the pose detector and the *full* landmark model) without the TFLite metadata mediapipe 1.x needs.
:func:`build_bundle` takes them from that wheel, checks their sha256, writes the metadata and zips
them into a ``.task`` bundle; :func:`install` does that once per machine; :func:`resolve_model`
is what the rest of movelab calls to get a usable model path.

Where the bundle lives (:func:`models_dir`):

1. ``$MOVELAB_MODELS_DIR`` if set;
2. ``<checkout>/models/`` when running from a source checkout of movelab;
3. the user cache, ``$XDG_CACHE_HOME/movelab/models`` or ``~/.cache/movelab/models``.

``$MOVELAB_MODEL`` names a bundle to use instead of the default one. Nothing here touches the
disk or the network at import time.

Command line: ``movelab models install [--force] [--quiet]`` and ``movelab models path``
(also ``python -m movelab.pose.bundle ...``).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as _dt
import fcntl
import hashlib
import json
import os
import re
import struct
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from movelab._native import native_stderr_silenced
from movelab.cache import file_sha256
from movelab.errors import ModelUnavailableError

__all__ = [
    "BUNDLE_NAME",
    "MEDIAPIPE_WHEEL_VERSION",
    "OFFICIAL_BUNDLE_URL",
    "build_bundle",
    "fetch_wheel",
    "models_dir",
    "default_bundle_path",
    "install",
    "resolve_model",
    "validate_bundle",
    "model_name",
    "file_sha256",
    "cli_models",
]

BUNDLE_NAME = "pose_landmarker_full.task"
MEDIAPIPE_WHEEL_VERSION = "0.10.21"
OFFICIAL_BUNDLE_URL = (
    "https://storage.googleapis.com/mediapipe-models/pose_landmarker/"
    "pose_landmarker_full/float16/latest/pose_landmarker_full.task"
)
#: Bump when the bytes :func:`build_bundle` writes change; older installs are then rebuilt.
RECIPE_VERSION = 1
#: Members every pose landmarker ``.task`` bundle (lite, full, heavy) holds.
BUNDLE_MEMBERS = ("pose_detector.tflite", "pose_landmarks_detector.tflite")

_ENV_MODELS_DIR = "MOVELAB_MODELS_DIR"
_ENV_MODEL = "MOVELAB_MODEL"
_ENV_CACHE_DIR = "MOVELAB_CACHE_DIR"
_METADATA_NAME = b"TFLITE_METADATA"
_PIP_TIMEOUT_S = 900
_BUFFER_ALIGNMENT = 16
_ZIP_ALIGNMENT = 64


@dataclass(frozen=True)
class _Part:
    """One TFLite model taken from the wheel and its place in the bundle."""

    wheel_member: str
    bundle_member: str
    size_bytes: int
    sha256: str
    title: str
    norm_mean: float
    norm_std: float
    output_names: tuple[str, ...]


_PARTS = (
    _Part(
        wheel_member="mediapipe/modules/pose_detection/pose_detection.tflite",
        bundle_member="pose_detector.tflite",
        size_bytes=2_959_046,
        sha256="9ba9dd3d42efaaba86b4ff0122b06f29c4122e756b329d89dca1e297fd8f866c",
        title="BlazePose GHUM pose detector",
        norm_mean=127.5,  # input scaled to [-1, 1]
        norm_std=127.5,
        output_names=("regressors", "classificators"),
    ),
    _Part(
        wheel_member="mediapipe/modules/pose_landmark/pose_landmark_full.tflite",
        bundle_member="pose_landmarks_detector.tflite",
        size_bytes=6_440_512,
        sha256="e9a5c5cb17f736fafd4c2ec1da3b3d331d6edbe8a0d32395855aeb2cdfd64b9f",
        title="BlazePose GHUM pose landmarks (full)",
        norm_mean=0.0,  # input scaled to [0, 1]
        norm_std=255.0,
        output_names=("landmarks", "pose_flag", "segmentation", "heatmap", "world_landmarks"),
    ),
)


# --------------------------------------------------------------------------- small helpers


def model_name(path: str | Path) -> str:
    """Return a model's name: its file name without the suffix (``"pose_landmarker_full"``)."""
    return Path(path).stem


def _one_line(text: str) -> str:
    """Collapse whitespace so an error message stays on one line."""
    return " ".join(text.split())


# --------------------------------------------------------------------------- where models live


def models_dir() -> Path:
    """Return the folder that holds the default pose bundle (not created here).

    Returns
    -------
    pathlib.Path
        ``$MOVELAB_MODELS_DIR`` if set; else ``<checkout>/models`` when movelab runs from a
        source checkout (the package's parent folder has a ``pyproject.toml`` naming project
        ``movelab`` and a ``models/`` folder); else ``$XDG_CACHE_HOME/movelab/models``
        (``~/.cache`` by default).
    """
    env = os.environ.get(_ENV_MODELS_DIR)
    if env:
        return Path(env).expanduser()
    checkout = _source_checkout()
    if checkout is not None:
        return checkout / "models"
    cache_home = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache_home).expanduser() / "movelab" / "models"


def default_bundle_path() -> Path:
    """Return where the default bundle ``pose_landmarker_full.task`` is (or will be) installed."""
    return models_dir() / BUNDLE_NAME


def _source_checkout() -> Path | None:
    """Return the source checkout movelab runs from, or None when installed elsewhere."""
    root = Path(__file__).resolve().parents[2]  # movelab/pose/bundle.py -> the checkout
    pyproject = root / "pyproject.toml"
    if not (pyproject.is_file() and (root / "models").is_dir()):
        return None
    return root if _project_name(pyproject) == "movelab" else None


def _project_name(pyproject: Path) -> str | None:
    """Return ``[project].name`` from a ``pyproject.toml``, or None if absent or unreadable."""
    text = pyproject.read_text(encoding="utf-8", errors="replace")
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10: a line scan is enough for our own file
        match = re.search(r'^\[project\][^\[]*?^name\s*=\s*"([^"]+)"', text, re.M | re.S)
        return match.group(1) if match else None
    try:
        return tomllib.loads(text).get("project", {}).get("name")
    except tomllib.TOMLDecodeError:
        return None


def _wheel_cache_dir() -> Path:
    """Return the folder where the downloaded mediapipe wheel is kept for rebuilds.

    ``$MOVELAB_CACHE_DIR`` if set (the download cache CI keeps between runs), else
    ``<models_dir>/.cache``.
    """
    env = os.environ.get(_ENV_CACHE_DIR)
    return Path(env).expanduser() if env else models_dir() / ".cache"


def _manual_instructions() -> str:
    """Return the one-sentence fallback: how to put the official bundle in place by hand."""
    return (
        f"download the official {BUNDLE_NAME} from {OFFICIAL_BUNDLE_URL} and put it at "
        f"{default_bundle_path()}, or pass --model PATH"
    )


# --------------------------------------------------------------------------- fetching the wheel


def _pip_download_command(dest_dir: Path) -> list[str]:
    """Return the pip command that downloads the mediapipe 0.10.21 wheel into ``dest_dir``."""
    return [
        sys.executable, "-m", "pip", "download", f"mediapipe=={MEDIAPIPE_WHEEL_VERSION}",
        "--no-deps", "--only-binary=:all:", "--python-version", "3.11",
        "--platform", "manylinux_2_28_x86_64", "--disable-pip-version-check", "-d", str(dest_dir),
    ]  # fmt: skip


def _find_wheel(folder: Path) -> Path | None:
    """Return a mediapipe 0.10.21 wheel already in ``folder``, or None."""
    if not folder.is_dir():
        return None
    found = sorted(folder.glob(f"mediapipe-{MEDIAPIPE_WHEEL_VERSION}-*.whl"))
    return found[0] if found else None


def fetch_wheel(dest_dir: str | Path) -> Path:
    """Download the mediapipe 0.10.21 wheel (~35 MB) with pip into ``dest_dir``.

    Any platform's wheel would do, since only its data files are used; the cp311 manylinux one is
    asked for so the download is the same on every machine.

    Parameters
    ----------
    dest_dir : str or pathlib.Path
        Folder to download into; created if missing.

    Returns
    -------
    pathlib.Path
        The downloaded wheel.

    Raises
    ------
    ModelUnavailableError
        pip failed (typically: the package registry could not be reached). The one-line message
        says how to install the official bundle by hand.
    """
    dest = Path(dest_dir)
    dest.mkdir(parents=True, exist_ok=True)
    reason = _run_pip(_pip_download_command(dest))
    wheel = _find_wheel(dest) if reason is None else None
    if wheel is None:
        reason = reason or f"pip reported success but no wheel is in {dest}"
        raise ModelUnavailableError(
            _one_line(
                f"could not download the mediapipe {MEDIAPIPE_WHEEL_VERSION} wheel to build the "
                f"pose model: the package registry could not be reached (pip: {reason}). "
                f"To install the model by hand, {_manual_instructions()}."
            )
        )
    return wheel


def _run_pip(command: list[str]) -> str | None:
    """Run a pip command quietly; return why it failed (pip's last error line), or None."""
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=_PIP_TIMEOUT_S)
    except (OSError, subprocess.TimeoutExpired) as error:
        return str(error)
    if done.returncode == 0:
        return None
    return _last_line(done.stderr) or f"pip exited with code {done.returncode}"


def _last_line(text: str) -> str:
    """Return the last non-blank line of ``text`` (pip's error summary), stripped."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""


# --------------------------------------------------------------------------- TFLite metadata


def _read_part(wheel: zipfile.ZipFile, wheel_path: Path, part: _Part) -> bytes:
    """Read one TFLite model from the wheel and check its size and sha256."""
    try:
        data = wheel.read(part.wheel_member)
    except KeyError:
        raise ModelUnavailableError(
            f"{wheel_path} has no {part.wheel_member}; expected the mediapipe "
            f"{MEDIAPIPE_WHEEL_VERSION} wheel. Delete it and run `movelab models install` again."
        ) from None
    digest = hashlib.sha256(data).hexdigest()
    if len(data) != part.size_bytes or digest != part.sha256:
        raise ModelUnavailableError(
            f"{part.wheel_member} in {wheel_path} is not the expected file: expected "
            f"{part.size_bytes} bytes with sha256 {part.sha256}, got {len(data)} bytes with sha256 "
            f"{digest}. Delete the wheel and run `movelab models install` again."
        )
    return data


def _input_tensor_metadata(part: _Part):
    """Return the input tensor's metadata: RGB image, normalised with ``(x - mean) / std``."""
    from mediapipe.tasks.metadata import metadata_schema_py_generated as meta

    norm = meta.NormalizationOptionsT()
    norm.mean, norm.std = [part.norm_mean], [part.norm_std]
    unit = meta.ProcessUnitT()
    unit.optionsType, unit.options = meta.ProcessUnitOptions.NormalizationOptions, norm
    props = meta.ImagePropertiesT()
    props.colorSpace = meta.ColorSpaceType.RGB
    content = meta.ContentT()
    content.contentPropertiesType = meta.ContentProperties.ImageProperties
    content.contentProperties = props
    stats = meta.StatsT()
    stats.min = [(0.0 - part.norm_mean) / part.norm_std]
    stats.max = [(255.0 - part.norm_mean) / part.norm_std]
    tensor = meta.TensorMetadataT()
    tensor.name, tensor.description = "image", "RGB input image"
    tensor.content, tensor.processUnits, tensor.stats = content, [unit], stats
    return tensor


def _output_tensor_metadata(name: str):
    """Return an output tensor's metadata: a name only."""
    from mediapipe.tasks.metadata import metadata_schema_py_generated as meta

    tensor = meta.TensorMetadataT()
    tensor.name = name
    return tensor


def _metadata_bytes(part: _Part, n_outputs: int) -> bytes:
    """Return the packed ``ModelMetadata`` flatbuffer (file identifier ``M001``) for one model."""
    import flatbuffers
    from mediapipe.tasks.metadata import metadata_schema_py_generated as meta

    if n_outputs != len(part.output_names):
        raise ModelUnavailableError(f"{part.wheel_member} has {n_outputs} outputs, expected {len(part.output_names)}")
    subgraph = meta.SubGraphMetadataT()
    subgraph.inputTensorMetadata = [_input_tensor_metadata(part)]
    subgraph.outputTensorMetadata = [_output_tensor_metadata(n) for n in part.output_names]
    model_meta = meta.ModelMetadataT()
    model_meta.name = part.title
    model_meta.description = f"{part.wheel_member} from the mediapipe {MEDIAPIPE_WHEEL_VERSION} wheel"
    model_meta.version = MEDIAPIPE_WHEEL_VERSION
    model_meta.minParserVersion = "1.0.0"
    model_meta.subgraphMetadata = [subgraph]
    builder = flatbuffers.Builder(1024)
    builder.Finish(model_meta.Pack(builder), file_identifier=b"M001")
    return bytes(builder.Output())


def _aligned_buffer_class():
    """Return a ``BufferT`` whose data is packed 16-byte aligned, as TFLite's converter does."""
    from mediapipe.tasks.metadata import schema_py_generated as schema

    class AlignedBufferT(schema.BufferT):
        def Pack(self, builder):  # noqa: N802 (flatbuffers naming)
            if self.data is None or len(self.data) == 0:
                return super().Pack(builder)
            payload = np.asarray(self.data, dtype=np.uint8).tobytes()
            builder.StartVector(1, len(payload), _BUFFER_ALIGNMENT)
            builder.head -= len(payload)
            builder.Bytes[builder.head : builder.head + len(payload)] = payload
            data = builder.EndVector()
            schema.BufferStart(builder)
            schema.BufferAddData(builder, data)
            schema.BufferAddOffset(builder, self.offset)
            schema.BufferAddSize(builder, self.size)
            return schema.BufferEnd(builder)

    return AlignedBufferT


def _with_metadata(tflite: bytes, part: _Part) -> bytes:
    """Return the TFLite model ``tflite`` with our metadata under ``TFLITE_METADATA``.

    Every buffer is repacked 16-byte aligned; the model is otherwise unchanged.
    """
    import flatbuffers
    from mediapipe.tasks.metadata import schema_py_generated as schema

    model = schema.ModelT.InitFromPackedBuf(tflite, 0)
    blob = _metadata_bytes(part, len(model.subgraphs[0].outputs))
    _attach_metadata(model, np.frombuffer(blob, dtype=np.uint8))
    builder = flatbuffers.Builder(len(tflite) + 4096)
    builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())


def _attach_metadata(model, blob: np.ndarray) -> None:
    """Store ``blob`` in a new buffer of ``model`` listed in its metadata as ``TFLITE_METADATA``.

    The wheel's detector already has a ``TFLITE_METADATA`` entry (a face-detector description
    with the same normalisation); its buffer is overwritten instead, so there is one entry.
    """
    from mediapipe.tasks.metadata import schema_py_generated as schema

    aligned = _aligned_buffer_class()
    buffers = []
    for old in model.buffers:
        new = aligned()
        new.data, new.offset, new.size = old.data, old.offset, old.size
        buffers.append(new)
    model.buffers = buffers
    entries = [m for m in model.metadata or [] if m.name == _METADATA_NAME]
    if entries:
        buffers[entries[0].buffer].data = blob
        return
    buffers.append(aligned())
    buffers[-1].data = blob
    entry = schema.MetadataT()
    entry.name, entry.buffer = _METADATA_NAME, len(buffers) - 1
    model.metadata = [*(model.metadata or []), entry]


# --------------------------------------------------------------------------- the bundle


def _write_zip(path: Path, members: dict[str, bytes]) -> None:
    """Write ``members`` to a stored (uncompressed) zip at ``path``, each member's data aligned.

    mediapipe maps the ``.task`` file and reads each model in place; data starting on a
    64-byte boundary lets it use the model's (16-byte aligned) buffers without copying them.
    """
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as bundle:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED
            info.extra = _alignment_extra(bundle.fp.tell() + 30 + len(name.encode()))
            bundle.writestr(info, data)


def _alignment_extra(data_offset_without_extra: int) -> bytes:
    """Return a zip extra field (zipalign's id 0xD935) aligning member data to 64 bytes."""
    header = 6  # id, size, alignment: three uint16
    pad = -(data_offset_without_extra + header) % _ZIP_ALIGNMENT
    return struct.pack("<HHH", 0xD935, 2 + pad, _ZIP_ALIGNMENT) + bytes(pad)


def _check_bundle_runs(path: Path) -> None:
    """Load ``path`` in a ``PoseLandmarker`` (IMAGE mode) and run it on a blank image.

    Raises
    ------
    ModelUnavailableError
        mediapipe could not load or run the bundle.
    """
    import mediapipe as mp
    from mediapipe.tasks.python import vision
    from mediapipe.tasks.python.core.base_options import BaseOptions

    options = vision.PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=str(path)),
        running_mode=vision.RunningMode.IMAGE,
    )
    blank = mp.Image(image_format=mp.ImageFormat.SRGB, data=np.zeros((256, 256, 3), np.uint8))
    try:
        with native_stderr_silenced(), vision.PoseLandmarker.create_from_options(options) as landmarker:
            landmarker.detect(blank)
    except (RuntimeError, ValueError, OSError, IndexError) as error:
        raise ModelUnavailableError(
            _one_line(f"the pose bundle built at {path} does not load in mediapipe: {error}")
        ) from error


def build_bundle(wheel_path: str | Path, out_path: str | Path) -> Path:
    """Build a pose landmarker ``.task`` bundle from the mediapipe 0.10.21 wheel.

    Takes ``pose_detection.tflite`` and ``pose_landmark_full.tflite`` from the wheel, checks their
    sha256, adds the TFLite metadata mediapipe 1.x needs (see Notes), zips them (stored) as
    ``pose_detector.tflite`` and ``pose_landmarks_detector.tflite``, checks that the result
    loads and runs in ``PoseLandmarker``, then moves it into place atomically.

    Parameters
    ----------
    wheel_path : str or pathlib.Path
        The ``mediapipe-0.10.21-*.whl`` file.
    out_path : str or pathlib.Path
        Where to write the bundle; its folder is created if missing.

    Returns
    -------
    pathlib.Path
        ``out_path``.

    Raises
    ------
    ModelUnavailableError
        The wheel is missing, not a zip, lacks a model, a model's sha256 differs from the expected
        one, or the built bundle does not load.

    Notes
    -----
    Each model gets a ``ModelMetadata`` flatbuffer (file identifier ``M001``) in a model buffer,
    referenced from the model's ``metadata`` list as ``TFLITE_METADATA``. Its input tensor is an
    RGB image with ``NormalizationOptions`` ``(x - mean) / std``: detector mean 127.5, std 127.5
    (input in [-1, 1]); landmarks mean 0, std 255 (input in [0, 1]). Outputs carry names only.
    """
    wheel_path, out_path = Path(wheel_path), Path(out_path)
    members = {part.bundle_member: _with_metadata(data, part) for part, data in _wheel_parts(wheel_path)}
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_name(f".{out_path.stem}.{os.getpid()}.tmp{out_path.suffix}")
    try:
        _write_zip(tmp, members)
        _check_bundle_runs(tmp)
        os.replace(tmp, out_path)
    finally:
        tmp.unlink(missing_ok=True)
    return out_path


def _wheel_parts(wheel_path: Path) -> list[tuple[_Part, bytes]]:
    """Return each model part with its checked bytes from the wheel."""
    try:
        with zipfile.ZipFile(wheel_path) as wheel:
            return [(part, _read_part(wheel, wheel_path, part)) for part in _PARTS]
    except FileNotFoundError:
        raise ModelUnavailableError(f"mediapipe wheel {wheel_path} does not exist") from None
    except zipfile.BadZipFile:
        raise ModelUnavailableError(
            f"{wheel_path} is not a wheel (not a zip file); delete it and run `movelab models install` again"
        ) from None


# --------------------------------------------------------------------------- install / resolve


def _sidecar_path(bundle: Path) -> Path:
    """Return the JSON file recording how ``bundle`` was built."""
    return bundle.with_name(bundle.name + ".json")


def _is_current(bundle: Path) -> bool:
    """Tell whether ``bundle`` can be kept as it is.

    True when it is a valid bundle and either its sidecar records the current recipe, or it has no
    sidecar (an official bundle put there by hand, which is kept).
    """
    if not bundle.is_file() or _bundle_problem(bundle) is not None:
        return False
    sidecar = _sidecar_path(bundle)
    if not sidecar.exists():
        return True
    try:
        recorded = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(recorded, dict) and recorded.get("recipe_version") == RECIPE_VERSION


def _write_sidecar(bundle: Path, wheel: Path) -> None:
    """Write ``<bundle>.json``: source wheel, sha256 of the parts and of the bundle, build date."""
    record = {
        "recipe_version": RECIPE_VERSION,
        "source_wheel": wheel.name,
        "parts_sha256": {part.wheel_member: part.sha256 for part in _PARTS},
        "bundle_sha256": file_sha256(bundle),
        "built_utc": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
    }
    sidecar = _sidecar_path(bundle)
    tmp = sidecar.with_name(f".{sidecar.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, sidecar)


def _build_from_wheel_cache(bundle: Path) -> Path:
    """Build ``bundle`` from the kept wheel, downloading it first if it is not there (or bad)."""
    cache = _wheel_cache_dir()
    wheel = _find_wheel(cache)
    if wheel is not None:
        try:
            _wheel_parts(wheel)
        except ModelUnavailableError:
            wheel.unlink()  # a damaged or foreign download: fetch it again
            wheel = None
    wheel = wheel or fetch_wheel(cache)
    build_bundle(wheel, bundle)
    return wheel


def install(*, force: bool = False, quiet: bool = False) -> Path:
    """Install the default pose bundle if needed and return its path.

    Idempotent: a bundle already there is kept if its sidecar records the current build recipe (or
    if it has no sidecar: an official bundle put there by hand). Otherwise the mediapipe 0.10.21
    wheel is downloaded once into ``$MOVELAB_CACHE_DIR`` or else ``<models_dir>/.cache/`` (and
    kept, so rebuilding does not download again), the bundle is built and
    ``pose_landmarker_full.task.json`` is written beside it.

    Parameters
    ----------
    force : bool, default False
        Rebuild even if a current bundle exists.
    quiet : bool, default False
        Do not print the one-line "building" notice to stderr.

    Returns
    -------
    pathlib.Path
        The installed bundle.

    Raises
    ------
    ModelUnavailableError
        The wheel could not be downloaded or the bundle could not be built.
    """
    bundle = default_bundle_path()
    if not force and _is_current(bundle):
        return bundle
    with _install_lock(bundle):
        if not force and _is_current(bundle):  # another process built it while this one waited
            return bundle
        return _install_now(bundle, quiet=quiet)


@contextlib.contextmanager
def _install_lock(bundle: Path):
    """Hold an exclusive lock beside ``bundle`` so two processes never build it (or fetch the wheel) at once."""
    bundle.parent.mkdir(parents=True, exist_ok=True)
    with open(bundle.with_name(f".{bundle.name}.lock"), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _install_now(bundle: Path, *, quiet: bool) -> Path:
    """Build ``bundle`` from the mediapipe wheel and write its sidecar (the caller holds the lock)."""
    if not quiet:
        print(
            f"movelab: building pose model {bundle} from the mediapipe {MEDIAPIPE_WHEEL_VERSION} "
            "wheel (one time, ~35 MB download)",
            file=sys.stderr,
        )
    wheel = _build_from_wheel_cache(bundle)
    _write_sidecar(bundle, wheel)
    return bundle


def _bundle_problem(path: Path) -> str | None:
    """Return what is wrong with ``path`` as a pose bundle, or None if it looks usable."""
    if not path.exists():
        return "does not exist"
    if not path.is_file():
        return "is not a file"
    if not zipfile.is_zipfile(path):
        return "is not a .task bundle (not a zip file)"
    try:
        with zipfile.ZipFile(path) as bundle:
            names = set(bundle.namelist())
    except (zipfile.BadZipFile, OSError) as error:
        return f"cannot be read as a zip file ({error})"
    missing = [name for name in BUNDLE_MEMBERS if name not in names]
    if missing:
        return f"is a zip file without {' and '.join(missing)}"
    return None


def validate_bundle(path: str | Path) -> Path:
    """Check that ``path`` is a pose landmarker ``.task`` bundle and return it.

    Any official ``pose_landmarker_{lite,full,heavy}.task`` passes: a zip holding
    ``pose_detector.tflite`` and ``pose_landmarks_detector.tflite``.

    Raises
    ------
    ModelUnavailableError
        One line naming the path and what is wrong with it.
    """
    path = Path(path).expanduser()
    problem = _bundle_problem(path)
    if problem is not None:
        raise ModelUnavailableError(
            f"pose model {path} {problem}; expected a MediaPipe pose landmarker .task bundle "
            f"holding {' and '.join(BUNDLE_MEMBERS)} (e.g. the official {BUNDLE_NAME})"
        )
    return path


def resolve_model(model: str | Path | None = None, *, auto_install: bool = True, quiet: bool = False) -> Path:
    """Return the pose bundle to use.

    Parameters
    ----------
    model : str or pathlib.Path or None
        A ``.task`` bundle (``--model PATH``). None means ``$MOVELAB_MODEL`` if set, else the
        default bundle in :func:`models_dir`, built on first use.
    auto_install : bool, default True
        Build the default bundle if it is missing. If False, a missing default is an error.
    quiet : bool, default False
        Do not print the one-line "building" notice.

    Returns
    -------
    pathlib.Path
        A checked bundle path.

    Raises
    ------
    ModelUnavailableError
        The given bundle is missing or not a pose bundle, or the default one cannot be built.
    """
    if model is None:
        model = os.environ.get(_ENV_MODEL) or None
    if model is not None:
        return validate_bundle(model)
    if auto_install:
        return validate_bundle(install(quiet=quiet))
    bundle = default_bundle_path()
    if not bundle.is_file():
        raise ModelUnavailableError(
            f"the pose model is not installed at {bundle}; run `movelab models install`, or {_manual_instructions()}"
        )
    return validate_bundle(bundle)


# --------------------------------------------------------------------------- command line


def _parser() -> argparse.ArgumentParser:
    """Return the parser of ``movelab models``."""
    parser = argparse.ArgumentParser(prog="movelab models", description="Manage the pose model.")
    commands = parser.add_subparsers(dest="command", required=True)
    install_cmd = commands.add_parser("install", help="build the default pose bundle if needed")
    install_cmd.add_argument("--force", action="store_true", help="rebuild even if it is there")
    install_cmd.add_argument("--quiet", action="store_true", help="print nothing but the path")
    commands.add_parser("path", help="print the pose model file in use")
    return parser


def cli_models(argv: list[str]) -> int:
    """Run ``movelab models install [--force] [--quiet]`` or ``movelab models path``.

    Parameters
    ----------
    argv : list of str
        The arguments after ``models``.

    Returns
    -------
    int
        Exit code: 0 on success, 1 if ``path`` finds no model, the error's exit code otherwise.
    """
    args = _parser().parse_args(argv)
    try:
        if args.command == "install":
            print(install(force=args.force, quiet=args.quiet))
            return 0
        path = resolve_model(auto_install=False)
    except ModelUnavailableError as error:
        print(f"movelab: {error}", file=sys.stderr)
        return 1 if args.command == "path" else error.exit_code
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(cli_models(sys.argv[1:]))
