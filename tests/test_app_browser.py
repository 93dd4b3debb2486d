"""The clinic app in a real headless Chromium (Debian's chromium + chromedriver, via selenium) against a
real ``movelab serve``: a clinician's first session from start to finish.
"""

from __future__ import annotations

import time
import zipfile

import pytest

pytest.importorskip("starlette")

import browser  # noqa: E402
from appserver import SQUAT_SIDE, Server, wait_for  # noqa: E402

pytestmark = pytest.mark.browser


def chromium(tmp_path, *extra_flags: str):
    """A headless Chromium whose downloads go to ``tmp_path / "downloads"``."""
    return browser.chromium(
        tmp_path / "profile",
        "--autoplay-policy=no-user-gesture-required",
        *extra_flags,
        downloads=tmp_path / "downloads",
    )


def severe_errors(driver) -> list[dict]:
    return [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]


@pytest.mark.slow
def test_a_clinician_creates_a_client_uploads_a_squat_and_gets_the_session(tmp_path):
    srv = Server(tmp_path / "data")
    driver = chromium(tmp_path)
    try:
        driver.get(srv.url + "/")
        driver.find_element("id", "client-name").send_keys("A.B.")
        driver.find_element("id", "client-age").send_keys("52")
        driver.find_element("id", "create-client").click()
        # the click posts a form and loads the client's page: wait for it rather than race it (CI, 2026-12-06)
        title = wait_for(lambda: driver.find_elements("id", "client-title"), timeout_s=20)[0]
        assert title.text == "A.B."
        driver.find_element("id", "video-input").send_keys(str(SQUAT_SIDE))
        # the first frame shows in the page; a click on the client becomes the upload's 'person'
        wait_for(
            lambda: driver.execute_script("return document.getElementById('first-frame').readyState >= 2"), timeout_s=20
        )
        from selenium.webdriver.common.action_chains import ActionChains

        ActionChains(driver).move_to_element(driver.find_element("id", "pick-mark")).click().perform()
        person = driver.find_element("id", "person").get_attribute("value")
        x, y = (float(v) for v in person.split(","))
        assert 280 < x < 360 and 200 < y < 280  # the middle of the 640x480 picture
        driver.find_element("id", "upload-button").click()
        wait_for(
            lambda: driver.execute_script(
                "const li = document.querySelector('#jobs li'); return li && li.dataset.status === 'done'"
            ),
            timeout_s=240,
            every_s=1,
        )
        driver.find_element("css selector", "#jobs li a").click()
        analysis_id = driver.current_url.rstrip("/").rsplit("/", 1)[1]
        assert srv.http.get(f"/api/analyses/{analysis_id}").json()["person"] == person

        assert driver.find_element("id", "movement").text == "squat"
        assert driver.find_element("id", "reps").text == "2"
        assert driver.find_elements("css selector", "#findings li")
        # the overlay plays in the page: the browser decodes it and its clock advances
        driver.execute_script("const v = document.getElementById('overlay'); v.muted = true; v.play();")
        wait_for(
            lambda: driver.execute_script(
                "const v = document.getElementById('overlay');return v.currentTime > 0.5 && v.videoWidth > 0;"
            ),
            timeout_s=30,
        )
        assert driver.execute_script("return document.getElementById('overlay').error") is None
        # the full report is shown in the page
        driver.switch_to.frame("report")
        assert driver.find_element("id", "findings")
        driver.switch_to.default_content()

        driver.find_element("id", "download").click()
        archive = wait_for(lambda: next((p for p in (tmp_path / "downloads").glob("*.zip")), None), timeout_s=30)
        time.sleep(0.5)
        names = set(zipfile.ZipFile(archive).namelist())
        assert {"report.json", "report.html", "angles.csv", "timeline.png", "overlay.mp4"} <= names
        assert not any(n.startswith("videos") or n.endswith((".mov", ".webm")) for n in names)
        assert severe_errors(driver) == []

        # delete the session after the confirmation page: its files go too
        session_dir = next((srv.data_dir / "sessions").iterdir())
        driver.find_element("id", "delete-session").click()
        driver.find_element("id", "confirm-delete").click()
        wait_for(lambda: "No sessions yet" in driver.page_source, timeout_s=10)
        assert not session_dir.exists() and not any((srv.data_dir / "videos").iterdir())
    finally:
        driver.quit()
        srv.stop()


def _squat_y4m(tmp_path) -> tuple:
    """A rendered side-view squat of 2 reps as a Y4M file for Chromium's fake camera (which plays it in a
    loop): 480x360, 15 fps, 2 s of standing first and 0.8 s after each rep, 7 s in all."""
    import subprocess

    import imageio_ffmpeg

    from movelab.synth import motions
    from movelab.synth.clip import render_clip
    from movelab.synth.video import write_mp4

    motion = motions.Squat(reps=2, descent_s=0.8, pause_bottom_s=0.2, ascent_s=0.7, pause_top_s=0.8, lead_in_s=2.0)
    clip = render_clip(motion, view="side_right", width_px=480, height_px=360, fps=15.0)
    mp4 = tmp_path / "squat.mp4"
    write_mp4(clip.iter_frames(), mp4, fps=15.0, crf=18)
    y4m = tmp_path / "squat.y4m"
    subprocess.run(
        [
            imageio_ffmpeg.get_ffmpeg_exe(),
            "-nostdin",
            "-v",
            "error",
            "-y",
            "-i",
            str(mp4),
            "-pix_fmt",
            "yuv420p",
            str(y4m),
        ],
        check=True,
    )
    return y4m, motion.reps


@pytest.mark.slow
def test_webcam_recording_counts_the_rendered_reps_live_and_in_the_analysis(tmp_path):
    y4m, reps = _squat_y4m(tmp_path)
    srv = Server(tmp_path / "data")
    driver = chromium(
        tmp_path,
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-video-capture={y4m}",
    )
    try:
        client = srv.http.post("/api/clients", json={"name": "Cam"}).json()["id"]
        driver.get(f"{srv.url}/clients/{client}/record")
        wait_for(
            lambda: driver.execute_script(
                "return !document.getElementById('start').disabled && window.movelabLive.frames > 0"
            ),
            timeout_s=60,
            every_s=0.1,
        )
        # the preview counts the clip's reps before recording; once it has seen both, the clip stands (end,
        # then loop start): record from there, so the recording holds the whole of the next loop's reps
        wait_for(lambda: driver.execute_script("return window.movelabLive.counted") >= reps, timeout_s=30, every_s=0.05)
        driver.find_element("id", "start").click()
        wait_for(lambda: driver.execute_script("return window.movelabLive.reps") >= reps, timeout_s=30, every_s=0.1)
        time.sleep(1.0)  # the last rise and the standing after it are in the recording
        live = driver.execute_script("return window.movelabLive")
        assert live["reps"] == reps and driver.find_element("id", "live-reps").text == str(reps)
        latency = sorted(live["latencies"])[len(live["latencies"]) // 2]
        model = sorted(live["modelMs"])[len(live["modelMs"]) // 2]
        print(f"preview: {live['frames']} frames, median latency {latency:.0f} ms, model {model:.0f} ms")
        driver.find_element("id", "stop").click()
        wait_for(lambda: "/analyses/" in driver.current_url, timeout_s=30)
        analysis_id = driver.current_url.rstrip("/").rsplit("/", 1)[1]
        job = srv.wait_done(analysis_id)
        assert job["status"] == "done", job
        report = srv.http.get(f"/api/analyses/{analysis_id}/report.json").json()
        assert report["movement"] == "squat" and len(report["reps"]) == reps
        driver.refresh()
        assert wait_for(lambda: driver.find_elements("id", "reps"), timeout_s=10)[0].text == str(reps)
        assert severe_errors(driver) == []
    finally:
        driver.quit()
        srv.stop()
