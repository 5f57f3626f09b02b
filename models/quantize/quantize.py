#!/usr/bin/env python3
"""Post-training full-integer (int8) quantization of edgecam's float TFLite models.

Offline tool: the build never runs it (the generated files are committed in models/int8/).
Needs Python 3.11 with the pinned packages in requirements.txt (tensorflow-cpu==2.21.0 uses an
internal calibrator API, so the version is pinned on purpose).

    python3 models/quantize/quantize.py --data ../shared/data            # quantize + evaluate
    python3 models/quantize/quantize.py --data ../shared/data --eval-only  # evaluate committed files
    python3 models/quantize/quantize.py --check                          # check SHA256SUMS only

What it does, per model (blazeface-short-range, mobilefacenet, blazeface-full-range):
  1. reads the float model from models/cache/ (fetched by models/fetch) and checks its sha256
     against the float manifest;
  2. rewrites the flatbuffer in float: constant DEQUANTIZE (fp16 -> fp32) and DENSIFY (sparse)
     ops are folded into plain fp32 constants (TF's calibrator crashes on MediaPipe's fp16
     weights); MobileFaceNet's PReLU, exported as RELU/ABS/SUB/MUL/ADD chains, is folded into
     PRELU ops (exact: relu(x) + c*(x-|x|) == prelu(x, alpha=2c)); unused tensors/buffers are
     dropped; the rewritten float model is checked against the original on the calibration set;
  3. calibrates on representative inputs (letterboxed camera-like frames for the detectors,
     aligned 112x112 faces + their mirror image for the embedder) and quantizes with
     tensorflow.lite.python.optimize.calibrator: int8 weights (per-channel) and int8
     activations, int32 biases, allow_float=False (every op is integer), float32 input/output
     (a QUANTIZE op in front, DEQUANTIZE ops at the end) so the Java pipeline feeds and reads
     the int8 models exactly like the float ones;
  4. compares int8 against float on the data set (detector: same faces, score/keypoint deltas;
     embedder: cosine of float vs int8 embeddings, verification AUC), measures invoke time in
     the Python interpreter, and writes models/int8/*.tflite, the *-int8.json manifests,
     models/quantize/report.json and models/quantize/SHA256SUMS.

Calibration/evaluation split (deterministic): identities in ../shared/data/faces sorted by name,
even positions (0, 2, ...) + group/ + noface/ are the calibration set; odd positions are
held out, and figures are reported for all images and for the held-out ones.
"""
import argparse
import csv
import hashlib
import json
import os
import sys
import time

try:
    import numpy as np
    from PIL import Image, ImageOps
except ImportError:  # --check needs neither
    np = Image = ImageOps = None

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS = os.path.dirname(HERE)
TOOLCHAIN = "tensorflow-cpu==2.21.0"
SCRIPT = "models/quantize/quantize.py"
TEMPLATE = [[38.2946, 51.6963], [73.5318, 51.5014], [56.0252, 71.7366], [56.1396, 92.2848]]

SPECS = {
    # outputRanges: the calibrated ranges of the detector outputs are dominated by meaningless
    # anchors far from any face (logits down to -2e4, offsets of hundreds of px), which leaves one
    # int8 step of ~30 logits / ~17 px. They are clamped to what decoding needs (keyed by the
    # output's last dimension): logits [-12, 12] (sigmoid(-12) = 6e-6), offsets (input pixels)
    # wide enough for a face filling the frame.
    "blazeface-short-range": dict(kind="detector", size=128, strides=[8, 16], per_cell=[2, 6], rangeMode="mean",
                                  outputRanges={1: (-12.0, 12.0), 16: (-96.0, 160.0)}),
    "blazeface-full-range": dict(kind="detector", size=192, strides=[4], per_cell=[1], rangeMode="mean",
                                 outputRanges={1: (-12.0, 12.0), 16: (-112.0, 224.0)}),
    "mobilefacenet": dict(kind="embedder", size=112, rangeMode="mean"),
}


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def sha256_bytes(b):
    return hashlib.sha256(b).hexdigest()


def read_manifest(name):
    with open(os.path.join(MODELS, name + ".json")) as f:
        return json.load(f)


# ----------------------------------------------------------------------------- flatbuffer rewrite

def _tflite():
    import tensorflow as tf  # noqa: F401  (imported lazily: --check must work without TF)
    from tensorflow.lite.python import schema_py_generated as schema
    return schema


def _interpreter(model_bytes, threads=1, preserve=False, delegates=True):
    import tensorflow as tf
    kind = (tf.lite.experimental.OpResolverType.AUTO if delegates
            else tf.lite.experimental.OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES)
    it = tf.lite.Interpreter(model_content=model_bytes, num_threads=threads,
                             experimental_op_resolver_type=kind,
                             experimental_preserve_all_tensors=preserve)
    it.allocate_tensors()
    return it


def _load(model_bytes):
    schema = _tflite()
    return schema.ModelT.InitFromObj(schema.Model.GetRootAsModel(model_bytes, 0))


def _save(model):
    import flatbuffers
    b = flatbuffers.Builder(1 << 20)
    b.Finish(model.Pack(b), file_identifier=b"TFL3")
    return bytes(b.Output())


def _opcode(model, op):
    oc = model.operatorCodes[op.opcodeIndex]
    return max(oc.builtinCode, oc.deprecatedBuiltinCode)


def _has_data(model, t):
    d = model.buffers[t.buffer].data
    return d is not None and len(d) > 0


def _new_buffer(model, array):
    schema = _tflite()
    buf = schema.BufferT()
    buf.data = np.frombuffer(np.ascontiguousarray(array).tobytes(), dtype=np.uint8)
    model.buffers.append(buf)
    return len(model.buffers) - 1


def fold_constant_dequantize(model_bytes):
    """Folds DEQUANTIZE/DENSIFY ops whose inputs are constants into fp32 constant tensors.

    The folded values are read from the reference interpreter (preserve_all_tensors), so fp16
    and sparse (DENSIFY) encodings are decoded by TFLite itself."""
    schema = _tflite()
    BO = schema.BuiltinOperator
    model = _load(model_bytes)
    sg = model.subgraphs[0]
    const = {i for i, t in enumerate(sg.tensors) if _has_data(model, t)}
    fold = []
    for k, op in enumerate(sg.operators):
        if _opcode(model, op) in (BO.DEQUANTIZE, BO.DENSIFY) and all(i in const for i in op.inputs):
            fold.append(k)
            const.update(op.outputs)
    if not fold:
        return model_bytes, 0
    it = _interpreter(model_bytes, preserve=True, delegates=False)
    for d in it.get_input_details():
        it.set_tensor(d["index"], np.zeros(d["shape"], d["dtype"]))
    it.invoke()
    for k in fold:
        op = sg.operators[k]
        out = op.outputs[0]
        value = it.get_tensor(out)
        t = sg.tensors[out]
        assert t.type == schema.TensorType.FLOAT32 or _opcode(model, op) == BO.DENSIFY
        t.buffer = _new_buffer(model, value)
    keep = set(range(len(sg.operators))) - set(fold)
    sg.operators = [op for k, op in enumerate(sg.operators) if k in keep]
    return _save(_compact(model)), len(fold)


def fold_prelu(model_bytes):
    """relu(x) + c * (x - abs(x))  ->  PRELU(x, alpha = 2c)."""
    schema = _tflite()
    BO = schema.BuiltinOperator
    model = _load(model_bytes)
    sg = model.subgraphs[0]
    producer, consumers = {}, {}
    for k, op in enumerate(sg.operators):
        for o in op.outputs:
            producer[o] = k
        for i in op.inputs:
            consumers.setdefault(i, []).append(k)
    code = lambda k: _opcode(model, sg.operators[k])  # noqa: E731
    prelu_code = None
    removed, replace = set(), {}
    for k, op in enumerate(sg.operators):
        if code(k) != BO.ADD or len(op.inputs) != 2:
            continue
        if op.builtinOptions is not None and op.builtinOptions.fusedActivationFunction != 0:
            continue
        a, b = op.inputs
        pa, pb = producer.get(a), producer.get(b)
        if pa is None or pb is None:
            continue
        if code(pa) == BO.MUL and code(pb) == BO.RELU:
            pa, pb, a, b = pb, pa, b, a
        if not (code(pa) == BO.RELU and code(pb) == BO.MUL):
            continue
        x = sg.operators[pa].inputs[0]
        mul = sg.operators[pb]
        cidx = [i for i in mul.inputs if _has_data(model, sg.tensors[i])]
        didx = [i for i in mul.inputs if not _has_data(model, sg.tensors[i])]
        if len(cidx) != 1 or len(didx) != 1 or producer.get(didx[0]) is None:
            continue
        ksub = producer[didx[0]]
        sub = sg.operators[ksub]
        if code(ksub) != BO.SUB or sub.inputs[0] != x or producer.get(sub.inputs[1]) is None:
            continue
        kabs = producer[sub.inputs[1]]
        if code(kabs) != BO.ABS or sg.operators[kabs].inputs[0] != x:
            continue
        inner = [a, b, didx[0], sub.inputs[1]]
        if any(len(consumers.get(t, [])) != 1 for t in inner):
            continue
        c = np.frombuffer(bytes(model.buffers[sg.tensors[cidx[0]].buffer].data), np.float32)
        if prelu_code is None:
            oc = schema.OperatorCodeT()
            oc.builtinCode = BO.PRELU
            oc.deprecatedBuiltinCode = BO.PRELU
            oc.version = 1
            model.operatorCodes.append(oc)
            prelu_code = len(model.operatorCodes) - 1
        alpha = schema.TensorT()
        alpha.shape = [1, 1, c.size]
        alpha.type = schema.TensorType.FLOAT32
        alpha.name = sg.tensors[cidx[0]].name + b"/prelu_alpha"
        alpha.buffer = _new_buffer(model, (2.0 * c).astype(np.float32).reshape(1, 1, -1))
        sg.tensors.append(alpha)
        new = schema.OperatorT()
        new.opcodeIndex = prelu_code
        new.inputs = [x, len(sg.tensors) - 1]
        new.outputs = list(op.outputs)
        replace[k] = new
        removed.update([pa, pb, ksub, kabs])
    ops = []
    for k, op in enumerate(sg.operators):
        if k in removed:
            continue
        ops.append(replace.get(k, op))
    sg.operators = ops
    return _save(_compact(model)), len(replace)


def _compact(model):
    """Drops tensors, buffers and operator codes nothing refers to."""
    sg = model.subgraphs[0]
    assert len(model.subgraphs) == 1
    used = set(sg.inputs) | set(sg.outputs)
    for op in sg.operators:
        used.update(i for i in op.inputs if i >= 0)
        used.update(op.outputs)
        if op.intermediates is not None:
            used.update(op.intermediates)
    tmap = {old: new for new, old in enumerate(sorted(used))}
    rm = lambda lst: [tmap[i] if i >= 0 else i for i in lst]  # noqa: E731
    sg.tensors = [sg.tensors[i] for i in sorted(used)]
    sg.inputs, sg.outputs = rm(sg.inputs), rm(sg.outputs)
    for op in sg.operators:
        op.inputs, op.outputs = rm(op.inputs), rm(op.outputs)
        if op.intermediates is not None:
            op.intermediates = rm(op.intermediates)
    for sd in model.signatureDefs or []:
        for tm in (sd.inputs or []) + (sd.outputs or []):
            tm.tensorIndex = tmap[tm.tensorIndex]
    bufs = {0} | {t.buffer for t in sg.tensors} | {md.buffer for md in (model.metadata or [])}
    bmap = {old: new for new, old in enumerate(sorted(bufs))}
    model.buffers = [model.buffers[i] for i in sorted(bufs)]
    for t in sg.tensors:
        t.buffer = bmap[t.buffer]
    for md in model.metadata or []:
        md.buffer = bmap[md.buffer]
    codes = sorted({op.opcodeIndex for op in sg.operators})
    cmap = {old: new for new, old in enumerate(codes)}
    model.operatorCodes = [model.operatorCodes[i] for i in codes]
    for op in sg.operators:
        op.opcodeIndex = cmap[op.opcodeIndex]
    return model


def float_compute_ops(model_bytes):
    """Ops other than QUANTIZE/DEQUANTIZE that read or write float tensors (must be none)."""
    schema = _tflite()
    BO = schema.BuiltinOperator
    names = {v: k for k, v in vars(BO).items() if not k.startswith("_")}
    model = _load(model_bytes)
    sg = model.subgraphs[0]
    bad = []
    for op in model.subgraphs[0].operators:
        c = _opcode(model, op)
        if c in (BO.QUANTIZE, BO.DEQUANTIZE):
            continue
        if any(sg.tensors[i].type in (schema.TensorType.FLOAT32, schema.TensorType.FLOAT16)
               for i in list(op.inputs) + list(op.outputs) if i >= 0):
            bad.append(names[c])
    return bad


def op_histogram(model_bytes):
    schema = _tflite()
    names = {v: k for k, v in vars(schema.BuiltinOperator).items() if not k.startswith("_")}
    model = _load(model_bytes)
    hist = {}
    for op in model.subgraphs[0].operators:
        n = names[_opcode(model, op)]
        hist[n] = hist.get(n, 0) + 1
    return dict(sorted(hist.items()))


# ----------------------------------------------------------------------------- data

def list_images(data):
    faces_dir = os.path.join(data, "faces")
    ids = sorted(d for d in os.listdir(faces_dir) if os.path.isdir(os.path.join(faces_dir, d)))
    items = []  # (relpath, identity or None, split)
    for n, ident in enumerate(ids):
        split = "calib" if n % 2 == 0 else "heldout"
        for f in sorted(os.listdir(os.path.join(faces_dir, ident))):
            if f.lower().endswith((".jpg", ".jpeg", ".png")):
                items.append((f"faces/{ident}/{f}", ident, split))
    for sub in ("group", "noface"):
        for f in sorted(os.listdir(os.path.join(data, sub))):
            if f.lower().endswith((".jpg", ".jpeg", ".png")):
                items.append((f"{sub}/{f}", None, "calib"))
    return items


def load_rgb(path):
    img = Image.open(path)
    img = ImageOps.exif_transpose(img)
    return img.convert("RGB")


def letterbox(img, size):
    """Keep aspect, centre, pad with black; returns the normalised input and the mapping."""
    w, h = img.size
    s = size / max(w, h)
    nw, nh = max(1, round(w * s)), max(1, round(h * s))
    canvas = Image.new("RGB", (size, size))
    px, py = (size - nw) // 2, (size - nh) // 2
    canvas.paste(img.resize((nw, nh), Image.BILINEAR, reducing_gap=3.0), (px, py))
    x = np.asarray(canvas, np.float32) / 127.5 - 1.0
    return x[None], (s, px, py)


def anchors(spec):
    out = []
    size = spec["size"]
    for stride, n in zip(spec["strides"], spec["per_cell"]):
        g = size // stride
        for y in range(g):
            for x in range(g):
                for _ in range(n):
                    out.append(((x + 0.5) / g, (y + 0.5) / g))
    return np.array(out, np.float32)


def decode(reg, logits, spec, mapping, thresh=0.5, iou=0.3):
    """BlazeFace decoding + weighted NMS; boxes and keypoints in source-image pixels."""
    size = spec["size"]
    a = spec["_anchors"]
    reg = reg.reshape(-1, 16)
    score = 1 / (1 + np.exp(-np.clip(logits.reshape(-1).astype(np.float64), -100, 100)))
    cx = a[:, 0] + reg[:, 0] / size
    cy = a[:, 1] + reg[:, 1] / size
    w, h = reg[:, 2] / size, reg[:, 3] / size
    boxes = np.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], 1)
    kps = np.stack([a[:, 0:1] + reg[:, 4::2] / size, a[:, 1:2] + reg[:, 5::2] / size], 2)
    idx = np.where(score >= thresh)[0]
    idx = idx[np.argsort(-score[idx])]
    dets = []
    while idx.size:
        b = boxes[idx[0]]
        xx1 = np.maximum(b[0], boxes[idx, 0]); yy1 = np.maximum(b[1], boxes[idx, 1])
        xx2 = np.minimum(b[2], boxes[idx, 2]); yy2 = np.minimum(b[3], boxes[idx, 3])
        inter = np.clip(xx2 - xx1, 0, None) * np.clip(yy2 - yy1, 0, None)
        area = (boxes[idx, 2] - boxes[idx, 0]) * (boxes[idx, 3] - boxes[idx, 1])
        ov = inter / (area + (b[2] - b[0]) * (b[3] - b[1]) - inter + 1e-9)
        grp = idx[ov >= iou]
        wts = score[grp][:, None]
        box = (boxes[grp] * wts).sum(0) / wts.sum()
        kp = (kps[grp] * wts[:, :, None]).sum(0) / wts.sum()
        dets.append(dict(score=float(score[idx[0]]), box=box, kps=kp))
        idx = idx[ov < iou]
    s, px, py = mapping
    for d in dets:
        d["box"] = (d["box"] * size - np.array([px, py, px, py])) / s
        d["kps"] = (d["kps"] * size - np.array([px, py])) / s
    return dets


def similarity(src, dst):
    """Least-squares similarity (rotation, uniform scale, translation; no reflection)."""
    ms, md = src.mean(0), dst.mean(0)
    s0, d0 = src - ms, dst - md
    cov = d0.T @ s0 / len(src)
    u, sv, vt = np.linalg.svd(cov)
    dfix = np.eye(2)
    if np.linalg.det(u) * np.linalg.det(vt) < 0:
        dfix[1, 1] = -1
    r = u @ dfix @ vt
    scale = (sv * np.diag(dfix)).sum() / (s0 ** 2).sum(1).mean()
    t = md - scale * r @ ms
    return scale * r, t


def align(img, kps):
    src = kps[:4].astype(np.float64)
    a, t = similarity(src, np.array(TEMPLATE, np.float64))
    scale = np.sqrt(abs(np.linalg.det(a)))
    if scale < 0.5:  # antialias: downscale the source first
        f = 2 * scale
        img = img.resize((max(1, round(img.width * f)), max(1, round(img.height * f))), Image.BILINEAR,
                         reducing_gap=3.0)
        src = src * f
        a, t = similarity(src, np.array(TEMPLATE, np.float64))
    inv = np.linalg.inv(a)
    ti = -inv @ t
    face = img.transform((112, 112), Image.AFFINE, (inv[0, 0], inv[0, 1], ti[0], inv[1, 0], inv[1, 1], ti[1]),
                         resample=Image.BILINEAR)
    return np.asarray(face, np.float32)


def embed_input(face):
    x = (face - 127.5) / 128.0
    return np.stack([x, x[:, ::-1]])


def embedding(out):
    v = out[0] + out[1]
    return v / np.linalg.norm(v)


# ----------------------------------------------------------------------------- runners

class Runner:
    def __init__(self, model_bytes, threads=2):
        self.it = _interpreter(model_bytes, threads=threads)
        self.inp = self.it.get_input_details()[0]["index"]
        self.outs = [d["index"] for d in self.it.get_output_details()]

    def __call__(self, x):
        self.it.set_tensor(self.inp, x.astype(np.float32))
        self.it.invoke()
        return [self.it.get_tensor(o) for o in self.outs]

    def bench(self, x, n=100, warm=10):
        self.it.set_tensor(self.inp, x.astype(np.float32))
        for _ in range(warm):
            self.it.invoke()
        ts = []
        for _ in range(n):
            t0 = time.perf_counter()
            self.it.invoke()
            ts.append(time.perf_counter() - t0)
        return float(np.median(ts) * 1e3)


def detector_outputs(runner, x):
    outs = runner(x)
    reg = next(o for o in outs if o.shape[-1] == 16)
    logit = next(o for o in outs if o.shape[-1] == 1)
    return reg, logit


def best_face(dets):
    return max(dets, key=lambda d: d["score"]) if dets else None


def iou(a, b):
    x1, y1 = max(a[0], b[0]), max(a[1], b[1])
    x2, y2 = min(a[2], b[2]), min(a[3], b[3])
    inter = max(0, x2 - x1) * max(0, y2 - y1)
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter + 1e-9)


def auc(gen, imp):
    gen, imp = np.asarray(gen), np.asarray(imp)
    allv = np.concatenate([gen, imp])
    ranks = allv.argsort().argsort() + 1.0
    return float((ranks[:len(gen)].sum() - len(gen) * (len(gen) + 1) / 2) / (len(gen) * len(imp)))


def best_acc(gen, imp):
    best = (0, 0)
    for t in np.unique(np.concatenate([gen, imp])):
        acc = ((np.asarray(gen) >= t).mean() + (np.asarray(imp) < t).mean()) / 2
        if acc > best[0]:
            best = (float(acc), float(t))
    return best


def pct(v, q):
    return float(np.percentile(v, q)) if len(v) else None


# ----------------------------------------------------------------------------- main steps

def output_chain(model):
    """Tensors between the last compute ops and the graph outputs: each output, walked back through
    RESHAPE/CONCATENATION to the tensors the head convolutions produce."""
    schema = _tflite()
    BO = schema.BuiltinOperator
    sg = model.subgraphs[0]
    producer = {o: op for op in sg.operators for o in op.outputs}
    chains = []
    for out in sg.outputs:
        seen, todo = [], [out]
        while todo:
            t = todo.pop()
            seen.append(t)
            op = producer.get(t)
            if op is not None and _opcode(model, op) in (BO.RESHAPE, BO.CONCATENATION):
                todo.extend(i for i in op.inputs if not _has_data(model, sg.tensors[i]))
        chains.append((sg.tensors[out].name.decode(), seen))
    return chains


def activation_ranges(float_bytes, samples, mode):
    """Per-tensor activation range from per-sample min/max: 'mean' averages them over the
    samples (robust to a few outlier frames), 'minmax' keeps the extremes (the calibrator's own)."""
    it = _interpreter(float_bytes, preserve=True, delegates=False)
    inp = it.get_input_details()[0]["index"]
    mins, maxs = {}, {}
    details = [d for d in it.get_tensor_details() if np.dtype(d["dtype"]) == np.float32]
    for x in samples:
        it.set_tensor(inp, x)
        it.invoke()
        for d in details:
            try:
                v = it.get_tensor(d["index"])
            except ValueError:
                continue
            if v.size:
                mins.setdefault(d["name"], []).append(float(v.min()))
                maxs.setdefault(d["name"], []).append(float(v.max()))
    f = np.mean if mode == "mean" else None
    return {n: (float(f(mins[n])), float(f(maxs[n]))) for n in mins}


def quantize(float_bytes, gen, spec):
    """calibrate (min/max per tensor) -> optional range overrides -> MLIR quantizer, full integer,
    float32 input/output. This is what TFLiteConverter does for a SavedModel, done on a .tflite."""
    from tensorflow.lite.python.optimize import calibrator
    from tensorflow.lite.python.convert import mlir_quantize
    import tensorflow as tf
    float_bytes = calibrator.add_intermediate_tensors(float_bytes)
    calibrated = bytes(calibrator.Calibrator(float_bytes).calibrate(gen))
    overrides = spec.get("outputRanges")
    applied = {}
    if spec.get("rangeMode", "minmax") != "minmax":
        ranges = activation_ranges(float_bytes, [x[0] for x in gen()], spec["rangeMode"])
        model = _load(calibrated)
        sg = model.subgraphs[0]
        n = 0
        for t in sg.tensors:
            q = t.quantization
            name = t.name.decode()
            if q is None or q.min is None or len(q.min) != 1 or name not in ranges or _has_data(model, t):
                continue
            lo, hi = ranges[name]
            q.min, q.max = [min(lo, 0.0)], [max(hi, 0.0)]
            n += 1
        applied["rangeMode"] = dict(mode=spec["rangeMode"], tensors=n)
        calibrated = _save(model)
    if overrides:
        model = _load(calibrated)
        sg = model.subgraphs[0]
        for name, tensors in output_chain(model):
            lo, hi = overrides[16 if "regress" in name or sg.tensors[tensors[0]].shape[-1] == 16 else 1]
            for t in tensors:
                q = sg.tensors[t].quantization
                applied[sg.tensors[t].name.decode()] = dict(calibrated=[float(q.min[0]), float(q.max[0])],
                                                            used=[lo, hi])
                q.min, q.max = [float(lo)], [float(hi)]
        calibrated = _save(model)
    q = mlir_quantize(calibrated, disable_per_channel=False,
                      input_data_type=tf.float32, output_data_type=tf.float32)
    return bytes(q), applied


def detector_inputs(data, items, spec, split=None, flips=True):
    for rel, _ident, sp in items:
        if split and sp != split:
            continue
        img = load_rgb(os.path.join(data, rel))
        yield rel, letterbox(img, spec["size"])
        if flips:
            yield rel + "#flip", letterbox(ImageOps.mirror(img), spec["size"])


def tensor_doc(it_details, q_model_bytes):
    """name, shape, dtype and quantization of a model's input/output tensors."""
    out = []
    for d in it_details:
        t = dict(name=d["name"], shape=[int(v) for v in d["shape"]], dtype=np.dtype(d["dtype"]).name)
        qp = d.get("quantization_parameters") or {}
        if len(qp.get("scales", [])):
            t["quantization"] = dict(scale=[float(v) for v in qp["scales"]],
                                     zeroPoint=[int(v) for v in qp["zero_points"]])
        out.append(t)
    return out


def internal_io_quant(q_bytes):
    """Scale/zero point of the int8 tensors right behind the float input (QUANTIZE) and right
    before the float outputs (DEQUANTIZE)."""
    schema = _tflite()
    BO = schema.BuiltinOperator
    model = _load(q_bytes)
    sg = model.subgraphs[0]
    res = {"inputs": [], "outputs": []}

    def q(ti):
        t = sg.tensors[ti]
        qp = t.quantization
        return dict(tensor=t.name.decode(), dtype="int8" if t.type == schema.TensorType.INT8 else str(t.type),
                    scale=[float(v) for v in qp.scale], zeroPoint=[int(v) for v in qp.zeroPoint])
    for op in sg.operators:
        c = _opcode(model, op)
        if c == BO.QUANTIZE and op.inputs[0] in sg.inputs:
            res["inputs"].append(q(op.outputs[0]))
        if c == BO.DEQUANTIZE and op.outputs[0] in sg.outputs:
            res["outputs"].append(q(op.inputs[0]))
    return res


def dump_json(obj):
    """Indented JSON with lists of numbers kept on one line."""
    import re
    text = json.dumps(obj, indent=2)
    return re.sub(r"\[\s+([-0-9.e,\s]+?)\s+\]", lambda m: "[" + " ".join(m.group(1).split()) + "]", text)


def write_manifest(name, float_manifest, q_path, q_bytes, report):
    it = _interpreter(q_bytes)
    fm = float_manifest
    m = dict(
        name=name + "-int8",
        kind=fm["kind"],
        version=fm["version"],
        precision="int8",
        file="int8/" + os.path.basename(q_path),
        derivedFrom=dict(model=fm["name"], sha256=fm["sha256"], script=SCRIPT, toolchain=TOOLCHAIN),
        sha256=sha256_bytes(q_bytes),
        size=len(q_bytes),
        license=fm["license"],
        quantization=("post-training full-integer: int8 weights (per-channel) and activations, int32 biases; "
                      "float32 input/output (QUANTIZE/DEQUANTIZE at the edges), so feed and read it like the "
                      "float model"),
        inputs=[dict(name=fm["inputs"][i]["name"], **{k: v for k, v in t.items() if k != "name"})
                for i, t in enumerate(tensor_doc(it.get_input_details(), q_bytes))],
        outputs=[],
        internalQuantization=internal_io_quant(q_bytes),
        preprocessing=fm["preprocessing"],
    )
    od = it.get_output_details()
    # keep the float manifest's output names, matched by shape
    for fo in fm["outputs"]:
        d = next(d for d in od if list(d["shape"]) == fo["shape"])
        t = tensor_doc([d], q_bytes)[0]
        t["name"] = fo["name"]
        m["outputs"].append(t)
    if "anchors" in fm:
        m["anchors"] = fm["anchors"]
    m["agreementWithFloat"] = report
    # The calibration (edgecam model calibrate) holds for the same model bytes only: kept when the
    # rebuilt model is identical, dropped (re-run the calibration) when it changed.
    path = os.path.join(MODELS, name + "-int8.json")
    if os.path.exists(path):
        with open(path) as f:
            old = json.load(f)
        if "calibration" in old and old.get("sha256") == m["sha256"]:
            m["calibration"] = old["calibration"]
        elif "calibration" in old:
            print("%s: model changed, calibration dropped: run ./edgecam model calibrate" % path)
    with open(path, "w") as f:
        f.write(dump_json(m) + "\n")


def evaluate_detector(name, spec, fb, qb, data, items, fr, qr):
    rows = dict(all=[], heldout=[])
    counts = dict(all=[0, 0, 0], heldout=[0, 0, 0])  # images, same count, float faces
    unmatched = dict(all=0, heldout=0)
    score_d, kp_d, kp_rel, logit_d = dict(all=[], heldout=[]), dict(all=[], heldout=[]), dict(all=[], heldout=[]), []
    group_counts = {}
    with open(os.path.join(data, "group-counts.csv")) as f:
        for r in csv.DictReader(f):
            group_counts[r["file"]] = int(r["faces"])
    group = {}
    for rel, _ident, sp in items:
        img = load_rgb(os.path.join(data, rel))
        x, mp = letterbox(img, spec["size"])
        rf, lf = detector_outputs(fr, x)
        rq, lq = detector_outputs(qr, x)
        sel = 1 / (1 + np.exp(-lf.reshape(-1))) > 0.5
        if sel.any():
            logit_d.extend(np.abs(lf.reshape(-1)[sel] - lq.reshape(-1)[sel]).tolist())
        df, dq = decode(rf, lf, spec, mp), decode(rq, lq, spec, mp)
        if rel in group_counts:
            group[rel] = dict(expected=group_counts[rel], float=len(df), int8=len(dq))
        for key in ("all", "heldout"):
            if key == "heldout" and sp != "heldout":
                continue
            counts[key][0] += 1
            counts[key][1] += int(len(df) == len(dq))
            counts[key][2] += len(df)
            used = set()
            for a in df:
                cand = [(iou(a["box"], b["box"]), j) for j, b in enumerate(dq) if j not in used]
                best = max(cand) if cand else (0, -1)
                if best[0] < 0.5:
                    unmatched[key] += 1
                    continue
                used.add(best[1])
                b = dq[best[1]]
                score_d[key].append(abs(a["score"] - b["score"]))
                err = np.linalg.norm(a["kps"] - b["kps"], axis=1)
                kp_d[key].append(float(err.max()))
                kp_rel[key].append(float(err[:4].max() / (a["box"][2] - a["box"][0])))
            unmatched[key] += len(dq) - len(used)
    out = {}
    for key in ("all", "heldout"):
        out[key] = dict(
            images=counts[key][0], sameFaceCount=counts[key][1], floatFaces=counts[key][2],
            unmatchedFaces=unmatched[key],
            scoreDeltaMedian=pct(score_d[key], 50), scoreDeltaMax=max(score_d[key]) if score_d[key] else None,
            keypointErrorPxMedian=pct(kp_d[key], 50), keypointErrorPxMax=max(kp_d[key]) if kp_d[key] else None,
            keypointErrorRelBoxWidthMedian=pct(kp_rel[key], 50),
            keypointErrorRelBoxWidthMax=max(kp_rel[key]) if kp_rel[key] else None,
        )
    out["logitAbsDeltaOnFloatPositives"] = dict(median=pct(logit_d, 50), p95=pct(logit_d, 95),
                                                max=max(logit_d) if logit_d else None)
    out["groupCounts"] = group
    return out


def evaluate_embedder(fe, qe, fdet, qdet, spec_det, data, items):
    """cosine(float, int8) on the same aligned face; verification with float vs int8 embeddings;
    'end to end' = int8 detector keypoints -> alignment -> int8 embedder vs all-float."""
    res = dict(cos={"all": [], "heldout": []}, e2e={"all": [], "heldout": []})
    emb_f, emb_q, emb_e2e, idents = [], [], [], []
    for rel, ident, sp in items:
        if ident is None:
            continue
        img = load_rgb(os.path.join(data, rel))
        x, mp = letterbox(img, spec_det["size"])
        df = best_face(decode(*detector_outputs(fdet, x), spec_det, mp))
        dq = best_face(decode(*detector_outputs(qdet, x), spec_det, mp))
        if df is None:
            continue
        inp = embed_input(align(img, df["kps"]))
        ef, eq = embedding(fe(inp)[0]), embedding(qe(inp)[0])
        e2 = embedding(qe(embed_input(align(img, dq["kps"])))[0]) if dq is not None else None
        emb_f.append(ef); emb_q.append(eq); emb_e2e.append(e2 if e2 is not None else np.zeros_like(ef))
        idents.append(ident)
        for key in ("all", "heldout"):
            if key == "heldout" and sp != "heldout":
                continue
            res["cos"][key].append(float(ef @ eq))
            res["e2e"][key].append(float(ef @ e2) if e2 is not None else 0.0)
    out = {}
    for key in ("all", "heldout"):
        c, e = res["cos"][key], res["e2e"][key]
        out[key] = dict(faces=len(c), cosineFloatVsInt8Median=pct(c, 50), cosineFloatVsInt8Min=min(c),
                        cosineFloatVsInt8P5=pct(c, 5),
                        endToEndCosineMedian=pct(e, 50), endToEndCosineMin=min(e))
    ver = {}
    for label, embs in (("float", emb_f), ("int8Embedder", emb_q), ("int8DetectorAndEmbedder", emb_e2e)):
        E = np.stack(embs)
        S = E @ E.T
        gen, imp = [], []
        for i in range(len(idents)):
            for j in range(i + 1, len(idents)):
                (gen if idents[i] == idents[j] else imp).append(S[i, j])
        acc, thr = best_acc(gen, imp)
        ver[label] = dict(genuinePairs=len(gen), impostorPairs=len(imp), auc=auc(gen, imp),
                          bestBalancedAccuracy=acc, threshold=thr,
                          genuineMean=float(np.mean(gen)), impostorMean=float(np.mean(imp)))
    out["verification"] = ver
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=os.path.join(MODELS, "..", "..", "shared", "data"))
    ap.add_argument("--models", default="blazeface-short-range,mobilefacenet",
                    help="comma-separated; blazeface-full-range works but does not agree with float "
                         "(see models/README.md), so it is not shipped")
    ap.add_argument("--eval-only", action="store_true", help="evaluate the committed int8 files")
    ap.add_argument("--check", action="store_true", help="only check models/quantize/SHA256SUMS")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    sums_path = os.path.join(HERE, "SHA256SUMS")
    if args.check:
        bad = 0
        with open(sums_path) as f:
            for line in f:
                if not line.strip() or line.startswith("#"):
                    continue
                want, rel = line.split(None, 1)
                rel = rel.strip().lstrip("*")
                p = os.path.join(MODELS, rel)
                if not os.path.exists(p):
                    print(f"missing  {rel}"); bad += 1; continue
                have = sha256_file(p)
                print(("ok       " if have == want else "MISMATCH ") + rel)
                bad += have != want
        sys.exit(1 if bad else 0)

    import tensorflow as tf
    if tf.__version__ != "2.21.0":
        sys.exit(f"quantize.py: needs {TOOLCHAIN} (internal calibrator API), found tensorflow {tf.__version__}")
    data = os.path.abspath(args.data)
    items = list_images(data)
    names = [n for n in args.models.split(",") if n]
    os.makedirs(os.path.join(MODELS, "int8"), exist_ok=True)
    report_path = os.path.join(HERE, "report.json")
    report = json.load(open(report_path)) if os.path.exists(report_path) else {}
    report["toolchain"] = TOOLCHAIN
    report["calibration"] = dict(
        images=[r for r, _i, sp in items if sp == "calib"],
        heldoutImages=[r for r, _i, sp in items if sp == "heldout"],
    )
    float_models, int8_models, specs = {}, {}, {}
    for name in names:
        fm = read_manifest(name)
        path = os.path.join(MODELS, "cache", fm["file"])
        if not os.path.exists(path):
            sys.exit(f"quantize.py: {path} is missing: run models/fetch")
        fb = open(path, "rb").read()
        if sha256_bytes(fb) != fm["sha256"]:
            sys.exit(f"quantize.py: {path}: sha256 {sha256_bytes(fb)}, manifest says {fm['sha256']}")
        float_models[name] = fb
        spec = dict(SPECS[name])
        if spec["kind"] == "detector":
            spec["_anchors"] = anchors(spec)
        specs[name] = spec

    det_for_embed = "blazeface-short-range"
    for name in names:
        fm = read_manifest(name)
        spec = specs[name]
        fb = float_models[name]
        q_path = os.path.join(MODELS, "int8", name + "-int8.tflite")
        rep = report.setdefault("models", {}).setdefault(name, {})
        if not args.eval_only:
            t0 = time.time()
            rb, n_deq = fold_constant_dequantize(fb)
            rb, n_prelu = fold_prelu(rb)
            print(f"{name}: folded {n_deq} constant DEQUANTIZE/DENSIFY ops, {n_prelu} PReLU chains", flush=True)
            # calibration inputs
            if spec["kind"] == "detector":
                calib = [x for _r, (x, _m) in detector_inputs(data, items, spec, split="calib")]
            else:
                ds = specs.get(det_for_embed) or dict(SPECS[det_for_embed], _anchors=anchors(SPECS[det_for_embed]))
                fdet = Runner(float_models.get(det_for_embed) or open(os.path.join(MODELS, "cache", det_for_embed + ".tflite"), "rb").read())
                calib = []
                for rel, _ident, sp in items:
                    if sp != "calib":
                        continue
                    img = load_rgb(os.path.join(data, rel))
                    x, mp = letterbox(img, ds["size"])
                    for d in decode(*detector_outputs(fdet, x), ds, mp):
                        calib.append(embed_input(align(img, d["kps"])))
            # the rewrite must not change the float model
            fr0, fr1 = Runner(fb), Runner(rb)
            diff = max(float(np.abs(a - b).max()) for x in calib[:8] for a, b in zip(fr0(x), fr1(x)))
            print(f"{name}: rewritten float vs original: max abs diff {diff:.3g}", flush=True)
            if diff > 1e-3:
                sys.exit(f"quantize.py: {name}: rewritten float model differs from the original ({diff})")
            qb, ranges = quantize(rb, lambda: ([x] for x in calib), spec)
            bad = float_compute_ops(qb)
            if bad:
                sys.exit(f"quantize.py: {name}: ops left in float: {bad}")
            with open(q_path, "wb") as f:
                f.write(qb)
            rep.update(rewrite=dict(foldedConstantDequantize=n_deq, foldedPrelu=n_prelu, maxAbsDiff=diff),
                       calibrationSamples=len(calib), outputRangeOverrides=ranges, seconds=round(time.time() - t0, 1),
                       floatOps=op_histogram(fb), rewrittenFloatOps=op_histogram(rb))
        qb = open(q_path, "rb").read()
        rep["int8Ops"] = op_histogram(qb)
        int8_models[name] = qb
        fr, qr = Runner(fb, args.threads), Runner(qb, args.threads)
        # speed (in-Python TF 2.21 interpreter, default delegates)
        shape = [int(v) for v in fr.it.get_input_details()[0]["shape"]]
        x = np.random.default_rng(0).uniform(-1, 1, shape).astype(np.float32)
        rep["speedMsMedianPythonTF221"] = dict(threads=args.threads, float=fr.bench(x), int8=qr.bench(x))
        if spec["kind"] == "detector":
            rep["agreement"] = evaluate_detector(name, spec, fb, qb, data, items, fr, qr)
        else:
            ds = specs.get(det_for_embed) or dict(SPECS[det_for_embed], _anchors=anchors(SPECS[det_for_embed]))
            fdb = float_models.get(det_for_embed) or open(os.path.join(MODELS, "cache", det_for_embed + ".tflite"), "rb").read()
            qdb = int8_models.get(det_for_embed) or open(os.path.join(MODELS, "int8", det_for_embed + "-int8.tflite"), "rb").read()
            rep["agreement"] = evaluate_embedder(fr, qr, Runner(fdb), Runner(qdb), ds, data, items)
        print(json.dumps({name: {k: rep[k] for k in ("speedMsMedianPythonTF221", "agreement")}}, indent=1), flush=True)
        summary = dict(rep["agreement"]["all"], heldout=rep["agreement"]["heldout"])
        if "verification" in rep["agreement"]:
            summary["verification"] = rep["agreement"]["verification"]
        summary["speedMsMedianPythonTF221"] = rep["speedMsMedianPythonTF221"]
        summary["details"] = "models/quantize/report.json, models/README.md"
        write_manifest(name, fm, q_path, qb, summary)

    with open(report_path, "w") as f:
        json.dump(report, f, indent=1)
        f.write("\n")
    # pins: float inputs (from the manifests), int8 outputs, calibration images
    lines = ["# sha256 of quantize.py's inputs and outputs, paths relative to models/ (check: quantize.py --check)",
             "# float inputs (models/fetch puts them in models/cache/)"]
    for name in SPECS:
        fm = read_manifest(name)
        lines.append(f"{fm['sha256']}  cache/{fm['file']}")
    lines.append("# int8 outputs")
    for name in SPECS:
        p = os.path.join(MODELS, "int8", name + "-int8.tflite")
        if os.path.exists(p):
            lines.append(f"{sha256_file(p)}  int8/{name}-int8.tflite")
    with open(sums_path, "w") as f:
        f.write("\n".join(lines) + "\n")
    with open(os.path.join(HERE, "calibration-images.sha256"), "w") as f:
        f.write("# images of ../shared/data used by quantize.py (calib = calibration, heldout = evaluation only)\n")
        for rel, _ident, sp in items:
            f.write(f"{sha256_file(os.path.join(data, rel))}  {rel}  {sp}\n")


if __name__ == "__main__":
    main()
