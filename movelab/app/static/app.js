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

function setUpUpload() {
  const form = document.getElementById("upload");
  if (!form) return;
  const input = document.getElementById("video-input");
  const drop = document.getElementById("drop");
  const list = document.getElementById("jobs");
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
