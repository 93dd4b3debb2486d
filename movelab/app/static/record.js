// Webcam page: getUserMedia preview, skeleton + live rep count from the server's pose model over a
// WebSocket (one frame in flight), MediaRecorder recording, upload on stop. No third-party code.
"use strict";

const BONES = [[11, 12], [23, 24], [11, 23], [12, 24], [11, 13], [13, 15], [12, 14], [14, 16],
  [23, 25], [25, 27], [24, 26], [26, 28], [27, 29], [29, 31], [28, 30], [30, 32]];
// reps: counted since Record; counted: the server's count since the preview opened (or the last Record)
const live = {latencies: [], modelMs: [], frames: 0, reps: 0, counted: 0, recording: false};
window.movelabLive = live;

const video = document.getElementById("camera");
const canvas = document.getElementById("skeleton");
const status = document.getElementById("rec-status");
const startButton = document.getElementById("start");
const stopButton = document.getElementById("stop");
const client = document.getElementById("preview").dataset.client;
const frame = document.createElement("canvas");
let socket = null;
let busy = false;
let recorder = null;
let chunks = [];
let resetAt = 0;  // answers to frames sent before Record still carry the old count

function median(values) {
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)] : NaN;
}

function drawSkeleton(points) {
  canvas.width = video.clientWidth;
  canvas.height = video.clientHeight;
  const context = canvas.getContext("2d");
  context.clearRect(0, 0, canvas.width, canvas.height);
  if (!points) return;
  context.lineWidth = 3;
  for (const [a, b] of BONES) {
    if (!points[a] || !points[b]) continue;
    context.strokeStyle = a % 2 === b % 2 ? (a % 2 ? "#3c82e6" : "#eb6e32") : "#f0f0f0";
    context.beginPath();
    context.moveTo(points[a][0] * canvas.width, points[a][1] * canvas.height);
    context.lineTo(points[b][0] * canvas.width, points[b][1] * canvas.height);
    context.stroke();
  }
}

function sendFrame() {
  if (busy || !socket || socket.readyState !== WebSocket.OPEN || video.readyState < 2) return;
  busy = true;
  const scale = Math.min(1, 480 / video.videoWidth);
  frame.width = Math.round(video.videoWidth * scale);
  frame.height = Math.round(video.videoHeight * scale);
  frame.getContext("2d").drawImage(video, 0, 0, frame.width, frame.height);
  const sent = performance.now();
  frame.toBlob(async (blob) => {
    const jpeg = new Uint8Array(await blob.arrayBuffer());
    const message = new Uint8Array(8 + jpeg.length);
    new DataView(message.buffer).setFloat64(0, sent, true);
    message.set(jpeg, 8);
    socket.send(message);
  }, "image/jpeg", 0.75);
}

function onAnswer(event) {
  const answer = JSON.parse(event.data);
  busy = false;
  if (answer.t !== undefined) {
    live.latencies.push(performance.now() - answer.t);
    if (live.latencies.length > 300) live.latencies.shift();
    document.getElementById("latency").textContent = Math.round(median(live.latencies.slice(-30)));
  }
  if (answer.model_ms !== undefined) live.modelMs.push(answer.model_ms);
  live.frames += 1;
  drawSkeleton(answer.points);
  if (answer.reps !== undefined) live.counted = answer.reps;
  if (live.recording && answer.t >= resetAt) {
    live.reps = answer.reps;
    document.getElementById("live-reps").textContent = answer.reps;
  }
}

function openSocket() {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  socket = new WebSocket(`${scheme}://${location.host}/ws/live`);
  socket.binaryType = "arraybuffer";
  socket.onmessage = onAnswer;
  socket.onclose = () => { status.textContent = "preview disconnected"; };
}

function startRecording() {
  const types = ["video/webm;codecs=vp8", "video/webm;codecs=vp9", "video/webm", "video/mp4"];
  const mimeType = types.find((t) => window.MediaRecorder && MediaRecorder.isTypeSupported(t)) || "";
  recorder = new MediaRecorder(video.srcObject, mimeType ? {mimeType} : {});
  chunks = [];
  recorder.ondataavailable = (event) => { if (event.data.size) chunks.push(event.data); };
  recorder.onstop = upload;
  resetAt = performance.now();
  if (socket && socket.readyState === WebSocket.OPEN) socket.send("reset");
  live.reps = 0;
  live.recording = true;
  document.getElementById("live-reps").textContent = "0";
  recorder.start(500);
  startButton.disabled = true;
  stopButton.disabled = false;
  status.textContent = "recording";
}

async function upload() {
  live.recording = false;
  status.textContent = "uploading";
  const type = recorder.mimeType || "video/webm";
  const body = new FormData();
  body.append("video", new Blob(chunks, {type}), type.includes("mp4") ? "webcam.mp4" : "webcam.webm");
  body.append("movement", document.getElementById("movement").value);
  body.append("client", client);
  body.append("source", "webcam");
  const response = await fetch("/api/analyses", {method: "POST", body});
  const answer = await response.json();
  if (!response.ok) {
    status.textContent = `upload refused: ${answer.error}`;
    status.className = "error";
    return;
  }
  window.location.href = `/analyses/${answer.id}`;
}

async function start() {
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    status.textContent = "this browser gives no camera here (a camera needs http://127.0.0.1 or https)";
    return;
  }
  try {
    video.srcObject = await navigator.mediaDevices.getUserMedia({video: {width: 640, height: 480}, audio: false});
  } catch (error) {
    status.textContent = `no camera: ${error.message}`;
    return;
  }
  await video.play();
  openSocket();
  setInterval(sendFrame, 15);
  startButton.disabled = false;
  status.textContent = "ready";
  startButton.addEventListener("click", startRecording);
  stopButton.addEventListener("click", () => { stopButton.disabled = true; recorder.stop(); });
}

start();
