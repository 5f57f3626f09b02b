// Reference descriptors from face-api itself, for models/faceapi/build.py (not part of the build).
//   node models/faceapi/reference.js NODE_MODULES_DIR CHIPS.u8 COUNT OUT.json
// NODE_MODULES_DIR has @vladmandic/face-api@1.7.15 and @tensorflow/tfjs(-backend-wasm)@4.22.0
// installed; CHIPS.u8 holds COUNT RGB chips of 150x150 (row-major, uint8). Each chip goes through
// faceRecognitionNet.computeFaceDescriptor as a [150,150,3] tensor (no resize: already 150x150).
"use strict";
const path = require("path");
const fs = require("fs");
const [dir, chipsFile, countArg, outFile] = process.argv.slice(2);
if (!outFile) {
  console.error("usage: node reference.js NODE_MODULES_DIR CHIPS.u8 COUNT OUT.json");
  process.exit(2);
}
const req = (m) => require(path.join(path.resolve(dir), "node_modules", m));
const tf = req("@tensorflow/tfjs");
const faceapi = req("@vladmandic/face-api/dist/face-api.node-wasm.js");
(async () => {
  await tf.setBackend("wasm").catch(() => tf.setBackend("cpu"));
  await tf.ready();
  const modelDir = path.join(path.resolve(dir), "node_modules/@vladmandic/face-api/model");
  await faceapi.nets.faceRecognitionNet.loadFromDisk(modelDir);
  const n = Number(countArg), size = 150 * 150 * 3;
  const buf = fs.readFileSync(chipsFile);
  if (buf.length !== n * size) throw new Error(`${chipsFile}: ${buf.length} bytes, expected ${n * size}`);
  const out = [];
  for (let i = 0; i < n; i++) {
    const t = tf.tensor3d(new Int32Array(buf.subarray(i * size, (i + 1) * size)), [150, 150, 3], "int32");
    const d = await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(t);
    t.dispose();
    out.push(Array.from(d));
  }
  fs.writeFileSync(outFile, JSON.stringify({ backend: tf.getBackend(), descriptors: out }));
})().catch((e) => { console.error("reference.js: " + e.message); process.exit(1); });
