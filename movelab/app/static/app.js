// movelab clinic app: uploads with progress, and status polling on a session page. No third-party code.
"use strict";

async function pollJob(id, onUpdate) {
  for (;;) {
    const response = await fetch(`/api/analyses/${id}`, {headers: {"Accept": "application/json"}});
    const job = await response.json();
    onUpdate(job);
    if (job.status === "done" || job.status === "failed" || !response.ok) return job;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

function describe(job) {
  if (job.status === "running") return `running ${Math.round(job.progress)} %`;
  if (job.status === "failed") return `failed: ${job.error}`;
  return job.status;
}

async function uploadOne(file, form, list) {
  const item = document.createElement("li");
  item.textContent = `${file.name}: uploading`;
  list.appendChild(item);
  const body = new FormData();
  body.append("video", file);
  body.append("movement", form.querySelector("#movement").value);
  body.append("client", form.dataset.client);
  const person = form.querySelector("#person");
  if (person && person.value && person.dataset.file === file.name) body.append("person", person.value);
  const response = await fetch("/api/analyses", {method: "POST", body});
  const answer = await response.json();
  if (!response.ok) {
    item.className = "error";
    item.textContent = `${file.name}: ${answer.error}`;
    return;
  }
  item.dataset.id = answer.id;
  await pollJob(answer.id, (job) => {
    item.innerHTML = "";
    const link = document.createElement("a");
    link.href = `/analyses/${answer.id}`;
    link.textContent = file.name;
    item.append(link, `: ${describe(job)}`);
    item.dataset.status = job.status;
  });
}

// One file chosen: show its first frame (decoded here, nothing sent) and take a click as the client's place,
// in pixels of the upright picture (the browser applies the rotation metadata, as movelab does).
function setUpPersonPick(input) {
  const pick = document.getElementById("pick");
  const video = document.getElementById("first-frame");
  const mark = document.getElementById("pick-mark");
  const person = document.getElementById("person");
  input.addEventListener("change", () => {
    person.value = "";
    pick.hidden = input.files.length !== 1;
    if (input.files.length !== 1) return;
    person.dataset.file = input.files[0].name;
    video.src = URL.createObjectURL(input.files[0]);
    video.onloadeddata = () => { mark.width = video.clientWidth; mark.height = video.clientHeight; };
  });
  mark.addEventListener("click", (event) => {
    const x = event.offsetX * video.videoWidth / mark.width;
    const y = event.offsetY * video.videoHeight / mark.height;
    person.value = `${x.toFixed(1)},${y.toFixed(1)}`;
    const context = mark.getContext("2d");
    context.clearRect(0, 0, mark.width, mark.height);
    context.strokeStyle = "#ffdc00";
    context.lineWidth = 3;
    context.beginPath();
    context.arc(event.offsetX, event.offsetY, 12, 0, 2 * Math.PI);
    context.stroke();
  });
}

function setUpUpload() {
  const form = document.getElementById("upload");
  if (!form) return;
  const input = document.getElementById("video-input");
  const drop = document.getElementById("drop");
  const list = document.getElementById("jobs");
  setUpPersonPick(input);
  const send = (files) => Promise.all(Array.from(files).map((f) => uploadOne(f, form, list)));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    send(input.files);
    input.value = "";
  });
  drop.addEventListener("dragover", (event) => { event.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (event) => {
    event.preventDefault();
    drop.classList.remove("over");
    send(event.dataTransfer.files);
  });
}

function setUpSessionPolling() {
  const status = document.getElementById("status");
  if (!status || !["queued", "running"].includes(status.dataset.status)) return;
  pollJob(status.dataset.id, (job) => {
    status.textContent = describe(job);
    if (job.status === "done" || job.status === "failed") window.location.reload();
  });
}

setUpUpload();
setUpSessionPolling();
