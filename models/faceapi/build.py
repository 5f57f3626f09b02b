#!/usr/bin/env python3
"""Rebuilds face-api's ResNet-34 face descriptor net (128-d, dlib-derived) as a TFLite model.

Offline tool: the build never runs it (the .tflite it writes is committed in models/faceapi/).
Needs Python 3.11 with models/quantize/requirements.txt (tensorflow-cpu==2.21.0) and npm.

    python3 models/faceapi/build.py --data ../shared/data [--reference DIR]   # rebuild + check + measure
    python3 models/faceapi/build.py --check                                    # sha256 of outputs only

Steps:
  1. `npm pack @vladmandic/face-api@1.7.15` (never a URL) and check the tarball's sha256, then the
     sha256 of the two files used: model/face_recognition_model-weights_manifest.json and .bin;
  2. dequantizes the weights as face-api does (uint8: q * scale + min; float32 as stored) and
     rebuilds the net from face-api's src/faceRecognitionNet/*.ts: 7x7/2 conv + 3x3/2 max pool,
     residual blocks 32x3, 64x4, 128x3, 256x3 + a 256 down block, global mean, 256x128 matmul.
     Each conv is conv + bias, then a per-channel scale layer (x * w + b); both are folded into the
     conv (exact up to float rounding). The "down" blocks add the 2x2 average pool of the input,
     zero-padded in channels, and zero-pad the conv output by one row and column where the pool is
     bigger (face-api's residualDown);
  3. converts to TFLite (float32 compute, weights stored as fp16 to halve the file) with input
     [2,150,150,3] float32 = already-normalised RGB ((px - [122.782, 117.001, 104.298]) / 255) and
     output [2,128], and a full-integer int8 variant calibrated on aligned faces of the calibration
     identities (same split as models/quantize);
  4. checks the rebuild: the same chips through face-api itself (under node, --reference DIR with
     @vladmandic/face-api@1.7.15 and @tensorflow/tfjs installed; see reference.js) must give
     cosine > 0.999; without --reference the float32 TFLite model is checked against the TF graph;
  5. measures verification on ../shared/data/faces (all pairs) for MobileFaceNet, this model and
     score-level fusion, and writes models/faceapi/report.json and models/faceapi/SHA256SUMS.
"""
import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(MODELS, "quantize"))

PACKAGE = "@vladmandic/face-api@1.7.15"
PACKAGE_SHA256 = "0d77fffeef362ef9c0939cf6c567f3a2e8e177f114fa257a3270cbd2e509b031"
FILES_SHA256 = {
    "package/model/face_recognition_model-weights_manifest.json":
        "cbaffa501b0b9275a12b63357a6843e7e30c054e1c9151e1a5f879b26e32986b",
    "package/model/face_recognition_model.bin":
        "b413e420d6840b2775fba32008db6f3cddb07d485967fb42cfcf379c16a8c589",
}
MEAN_RGB = [122.782, 117.001, 104.298]
SIZE = 150
TEMPLATE150 = [[48.24, 40.59], [105.73, 39.37], [76.97, 73.56], [77.77, 101.11]]
OUT_FLOAT = "faceapi-resnet34.tflite"
OUT_INT8 = "faceapi-resnet34-int8.tflite"
BLOCKS = (["conv32_1", "conv32_2", "conv32_3"],
          ["conv64_down", "conv64_1", "conv64_2", "conv64_3"],
          ["conv128_down", "conv128_1", "conv128_2"],
          ["conv256_down", "conv256_1", "conv256_2", "conv256_down_out"])


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def fetch_package(tmp, tarball=None):
    """npm pack into tmp (or use a given tarball), check sha256s, return the extracted dir."""
    if tarball is None:
        r = subprocess.run(["npm", "pack", "--silent", PACKAGE], cwd=tmp, capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit(f"build.py: npm pack {PACKAGE} failed: {r.stderr.strip()}")
        tarball = os.path.join(tmp, r.stdout.strip().splitlines()[-1])
    have = sha256_file(tarball)
    if have != PACKAGE_SHA256:
        sys.exit(f"build.py: {tarball}: sha256 {have}, expected {PACKAGE_SHA256}")
    subprocess.run(["tar", "-xzf", tarball, "-C", tmp] + list(FILES_SHA256) + ["package/LICENSE"], check=True)
    for rel, want in FILES_SHA256.items():
        have = sha256_file(os.path.join(tmp, rel))
        if have != want:
            sys.exit(f"build.py: {rel}: sha256 {have}, expected {want}")
    return os.path.join(tmp, "package")


def load_weights(pkg):
    """face-api's weight loading: the manifest lists tensors in .bin order; uint8 ones are q*scale+min."""
    import numpy as np
    man = json.load(open(os.path.join(pkg, "model/face_recognition_model-weights_manifest.json")))
    out = {}
    for group in man:
        buf = b"".join(open(os.path.join(pkg, "model", p), "rb").read() for p in group["paths"])
        off = 0
        for w in group["weights"]:
            n = int(np.prod(w["shape"])) if w["shape"] else 1
            q = w.get("quantization")
            if q is None:
                assert w["dtype"] == "float32", w
                v = np.frombuffer(buf, np.float32, n, off).astype(np.float32)
                off += 4 * n
            else:
                assert q["dtype"] == "uint8", w
                v = np.frombuffer(buf, np.uint8, n, off).astype(np.float32) * np.float32(q["scale"]) \
                    + np.float32(q["min"])
                off += n
            out[w["name"]] = v.reshape(w["shape"]).astype(np.float32)
        if off != len(buf):
            sys.exit(f"build.py: weights: {len(buf) - off} bytes left over")
    return out


def folded(w, prefix):
    """conv(x, f) + bias, then * scale.w + scale.b  ==  conv(x, f * s) + (bias * s + b)."""
    f = w[f"{prefix}/conv/filters"]
    s = w[f"{prefix}/scale/weights"]
    return (f * s).astype("float32"), (w[f"{prefix}/conv/bias"] * s + w[f"{prefix}/scale/biases"]).astype("float32")


def build_module(w, batch=2):
    import tensorflow as tf

    def conv(x, p, stride, relu, padding):
        f, b = folded(w, p)
        y = tf.nn.conv2d(x, tf.constant(f), stride, padding) + tf.constant(b)
        return tf.nn.relu(y) if relu else y

    def residual(x, name):
        y = conv(x, f"{name}/conv1", 1, True, "SAME")
        y = conv(y, f"{name}/conv2", 1, False, "SAME")
        return tf.nn.relu(y + x)

    def residual_down(x, name):
        y = conv(x, f"{name}/conv1", 2, True, "VALID")
        y = conv(y, f"{name}/conv2", 1, False, "SAME")
        pooled = tf.nn.avg_pool2d(x, 2, 2, "VALID")
        dh, dw = pooled.shape[1] - y.shape[1], pooled.shape[2] - y.shape[2]
        if dh or dw:  # face-api appends one zero row (bottom) and one zero column (right)
            y = tf.pad(y, [[0, 0], [0, dh], [0, dw], [0, 0]])
        dc = y.shape[3] - pooled.shape[3]
        if dc:
            pooled = tf.pad(pooled, [[0, 0], [0, 0], [0, 0], [0, dc]])
        return tf.nn.relu(pooled + y)

    fc = tf.constant(w["fc"])

    @tf.function(input_signature=[tf.TensorSpec([batch, SIZE, SIZE, 3], tf.float32, name="input")])
    def net(x):
        y = conv(x, "conv32_down", 2, True, "VALID")
        y = tf.nn.max_pool2d(y, 3, 2, "VALID")
        for stage in BLOCKS:
            for name in stage:
                y = residual_down(y, name) if "down" in name else residual(y, name)
        y = tf.reduce_mean(y, axis=[1, 2])
        return {"embeddings": tf.matmul(y, fc)}

    return net


def convert(net, fp16=True, representative=None):
    import tensorflow as tf
    conv = tf.lite.TFLiteConverter.from_concrete_functions([net.get_concrete_function()])
    if representative is not None:
        conv.optimizations = [tf.lite.Optimize.DEFAULT]
        conv.representative_dataset = representative
        conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        conv.inference_input_type = tf.float32
        conv.inference_output_type = tf.float32
    elif fp16:
        conv.optimizations = [tf.lite.Optimize.DEFAULT]
        conv.target_spec.supported_types = [tf.float16]
    return conv.convert()


# ----------------------------------------------------------------------------- data and checks

def faces(data):
    """Every face of ../shared/data/faces found by the float short-range detector (as models/quantize):
    (relpath, identity, split, 112x112 MobileFaceNet chip, 150x150 chip), both from the same keypoints."""
    import numpy as np
    from PIL import Image
    import quantize as q
    spec = dict(q.SPECS["blazeface-short-range"])
    spec["size"] = 128
    spec["_anchors"] = q.anchors(spec)
    det = q.Runner(open(os.path.join(MODELS, "cache", "blazeface-short-range.tflite"), "rb").read())
    out = []
    for rel, ident, split in q.list_images(data):
        if ident is None:
            continue
        img = q.load_rgb(os.path.join(data, rel))
        x, mp = q.letterbox(img, spec["size"])
        d = q.best_face(q.decode(*q.detector_outputs(det, x), spec, mp))
        if d is None:
            continue
        out.append((rel, ident, split, q.align(img, d["kps"]), align150(img, d["kps"])))
    return out


def align150(img, kps):
    """models/quantize's align with face-api's 150x150 template (FACTS.md), antialiased the same way."""
    import numpy as np
    from PIL import Image
    import quantize as q
    src = kps[:4].astype(np.float64)
    dst = np.array(TEMPLATE150, np.float64)
    a, t = q.similarity(src, dst)
    scale = np.sqrt(abs(np.linalg.det(a)))
    if scale < 0.5:
        f = 2 * scale
        img = img.resize((max(1, round(img.width * f)), max(1, round(img.height * f))), Image.BILINEAR,
                         reducing_gap=3.0)
        src = src * f
        a, t = q.similarity(src, dst)
    inv = np.linalg.inv(a)
    ti = -inv @ t
    face = img.transform((SIZE, SIZE), Image.AFFINE, (inv[0, 0], inv[0, 1], ti[0], inv[1, 0], inv[1, 1], ti[1]),
                         resample=Image.BILINEAR)
    return np.asarray(face, np.uint8)


def norm_input(chip):
    import numpy as np
    return (chip.astype(np.float32) - np.array(MEAN_RGB, np.float32)) / 255.0


def run_pairs(runner, chips, flip):
    """Embeddings of uint8 150x150 chips, two per invoke (flip=False) or chip + mirror summed."""
    import numpy as np
    out = []
    for c in chips:
        x = norm_input(c)
        y = runner(np.stack([x, x[:, ::-1]]))[0]
        out.append(y[0] + y[1] if flip else y[0])
    return np.array(out)


def cosines(a, b):
    import numpy as np
    return (a * b).sum(1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)


def clopper_pearson_upper(k, n, conf=0.95):
    """One-sided upper bound of a binomial proportion (exact), by bisection on the binomial CDF."""
    from math import comb
    if k >= n:
        return 1.0
    alpha = 1 - conf
    lo, hi = k / n, 1.0
    for _ in range(100):
        p = (lo + hi) / 2
        cdf = sum(comb(n, i) * p ** i * (1 - p) ** (n - i) for i in range(k + 1))
        lo, hi = (p, hi) if cdf > alpha else (lo, p)
    return hi


def figures(gen, imp):
    """FNMR at the lowest threshold whose FMR <= target (per target the pair count supports), FMR at
    FNMR 1% / 5%, with one-sided 95% Clopper-Pearson upper bounds on each FMR."""
    import numpy as np
    import quantize as q
    gen, imp = np.sort(np.asarray(gen)), np.sort(np.asarray(imp))
    res = dict(genuinePairs=int(len(gen)), impostorPairs=int(len(imp)), auc=q.auc(gen, imp),
               genuineMean=float(gen.mean()), impostorMean=float(imp.mean()), impostorMax=float(imp.max()))
    fnmr_at = {}
    for target in (1e-2, 1e-3, 1e-4):
        k = int(np.floor(target * len(imp)))
        thr = float(np.nextafter(imp[len(imp) - 1 - k], np.inf)) if k < len(imp) else float(imp.min())
        fmr_k = int((imp >= thr).sum())
        fnmr_at[str(target)] = dict(
            supported=len(imp) >= 3 / target,  # zero errors in n pairs only shows FMR < ~3/n
            threshold=thr, impostorsAccepted=fmr_k, fmr=fmr_k / len(imp),
            fmrUpper95=clopper_pearson_upper(fmr_k, len(imp)), fnmr=float((gen < thr).mean()),
            genuineRejected=int((gen < thr).sum()))
    res["fnmrAtFmr"] = fnmr_at
    fmr_at = {}
    for target in (0.01, 0.05):
        thr = float(gen[int(np.floor(target * len(gen)))])  # genuine below thr: <= target
        k = int((imp >= thr).sum())
        fmr_at[str(target)] = dict(threshold=thr, fnmr=float((gen < thr).mean()), impostorsAccepted=k,
                                   fmr=k / len(imp), fmrUpper95=clopper_pearson_upper(k, len(imp)))
    res["fmrAtFnmr"] = fmr_at
    return res


def pair_scores(idents, emb_sets, combine):
    import numpy as np
    S = [e @ e.T for e in emb_sets]
    gen, imp = [], []
    for i in range(len(idents)):
        for j in range(i + 1, len(idents)):
            s = combine([m[i, j] for m in S])
            (gen if idents[i] == idents[j] else imp).append(s)
    return gen, imp


def l2(e):
    import numpy as np
    return e / np.linalg.norm(e, axis=1, keepdims=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", help="../shared/data (faces/ with one folder per identity)")
    ap.add_argument("--package", help="an already packed face-api tarball (default: npm pack)")
    ap.add_argument("--reference", help="dir whose node_modules has face-api + tfjs, for reference.js")
    ap.add_argument("--check", action="store_true", help="only check SHA256SUMS against the files")
    ap.add_argument("--no-int8", action="store_true", help="skip the int8 variant")
    args = ap.parse_args()
    sums_path = os.path.join(HERE, "SHA256SUMS")
    if args.check:
        bad = 0
        for line in open(sums_path):
            want, rel = line.split()
            path = os.path.join(MODELS, rel)
            have = sha256_file(path) if os.path.exists(path) else "missing"
            if have != want:
                print(f"build.py: {rel}: sha256 {have}, expected {want}", file=sys.stderr)
                bad = 1
        sys.exit(bad)
    if not args.data:
        ap.error("--data is required (or --check)")
    import numpy as np
    import tensorflow as tf
    import quantize as q

    report = {"package": PACKAGE, "packageSha256": PACKAGE_SHA256, "toolchain": "tensorflow-cpu==" + tf.__version__}
    with tempfile.TemporaryDirectory() as tmp:
        pkg = fetch_package(tmp, args.package)
        weights = load_weights(pkg)
        license_text = open(os.path.join(pkg, "LICENSE")).read()
    report["parameters"] = int(sum(v.size for v in weights.values()))
    net = build_module(weights)
    f32 = convert(net, fp16=False)
    f16 = convert(net, fp16=True)

    items = faces(args.data)
    idents = [it[1] for it in items]
    chips = np.stack([it[4] for it in items])
    rng = np.random.default_rng(15)
    noise = rng.integers(0, 256, (4, SIZE, SIZE, 3), dtype=np.uint8)
    check_chips = np.concatenate([chips, noise])

    tf_out = np.concatenate([net(np.stack([norm_input(c), norm_input(c)]))["embeddings"].numpy()[:1]
                             for c in check_chips])
    r32, r16 = q.Runner(f32), q.Runner(f16)
    e32, e16 = run_pairs(r32, check_chips, False), run_pairs(r16, check_chips, False)
    rebuild = dict(chips=len(check_chips), faceChips=len(chips), noiseChips=len(noise),
                   cosineTfVsTflite32Min=float(cosines(tf_out, e32).min()),
                   cosineTflite32VsFp16Min=float(cosines(e32, e16).min()))
    if args.reference:
        with tempfile.TemporaryDirectory() as tmp:
            check_chips.tofile(os.path.join(tmp, "chips.u8"))
            r = subprocess.run(["node", os.path.join(HERE, "reference.js"), args.reference,
                                os.path.join(tmp, "chips.u8"), str(len(check_chips)), os.path.join(tmp, "ref.json")],
                               capture_output=True, text=True)
            if r.returncode != 0:
                sys.exit(f"build.py: reference.js failed: {r.stderr.strip()}")
            ref = json.load(open(os.path.join(tmp, "ref.json")))
        fa = np.array(ref["descriptors"], np.float32)
        rebuild.update(referenceBackend="face-api " + ref["backend"],
                       cosineFaceApiVsTflite32Min=float(cosines(fa, e32).min()),
                       cosineFaceApiVsFp16Min=float(cosines(fa, e16).min()),
                       cosineFaceApiVsFp16Median=float(np.median(cosines(fa, e16))),
                       maxAbsFaceApiVsFp16=float(np.abs(fa - e16).max()),
                       faceApiNormMedian=float(np.median(np.linalg.norm(fa, axis=1))))
        if rebuild["cosineFaceApiVsFp16Min"] < 0.999:
            sys.exit(f"build.py: rebuild differs from face-api: {rebuild}")
    report["rebuild"] = rebuild
    print(json.dumps(rebuild, indent=1))

    variants = {OUT_FLOAT: f16}
    if not args.no_int8:
        calib = [c for c, it in zip(chips, items) if it[2] == "calib"]

        def representative():
            for c in calib:
                x = norm_input(c)
                yield [np.stack([x, x[:, ::-1]])]
        i8 = convert(net, representative=representative)
        e8 = run_pairs(q.Runner(i8), chips, False)
        held = np.array([it[2] == "heldout" for it in items])
        c = cosines(e16[:len(chips)], e8)
        report["int8"] = dict(ops=q.op_histogram(i8), floatComputeOps=q.float_compute_ops(i8),
                              cosineFloatVsInt8Median=float(np.median(c)), cosineFloatVsInt8Min=float(c.min()),
                              heldoutMedian=float(np.median(c[held])), heldoutMin=float(c[held].min()))
        variants[OUT_INT8] = i8
        print(json.dumps(report["int8"], indent=1))

    # ---- verification figures: MobileFaceNet, ResNet-34 (with and without flip), fusion
    mfn = q.Runner(open(os.path.join(MODELS, "cache", "mobilefacenet.tflite"), "rb").read())
    emb = {
        "mobilefacenet": np.stack([q.embedding(mfn(q.embed_input(it[3]))[0]) for it in items]),
        "resnet34": l2(run_pairs(r16, chips, False)),
        "resnet34Flip": l2(run_pairs(r16, chips, True)),
    }
    if not args.no_int8:
        emb["resnet34Int8"] = l2(run_pairs(q.Runner(i8), chips, False))
    calib_idx = [i for i, it in enumerate(items) if it[2] == "calib"]
    ev = {}
    for k, e in emb.items():
        ev[k] = figures(*pair_scores(idents, [e], lambda s: s[0]))
    # z-normalisation: impostor mean/sd of each model on the calibration identities only
    zs = {}
    for k in ("mobilefacenet", "resnet34"):
        sub = emb[k][calib_idx]
        _, imp = pair_scores([idents[i] for i in calib_idx], [sub], lambda s: s[0])
        zs[k] = (float(np.mean(imp)), float(np.std(imp)))
    pair = [emb["mobilefacenet"], emb["resnet34"]]
    (m1, s1), (m2, s2) = zs["mobilefacenet"], zs["resnet34"]
    ev["fusionMean"] = figures(*pair_scores(idents, pair, lambda s: (s[0] + s[1]) / 2))
    ev["fusionZ"] = figures(*pair_scores(idents, pair, lambda s: ((s[0] - m1) / s1 + (s[1] - m2) / s2) / 2))
    ev["fusionZ"]["impostorMeanSd"] = zs
    # the same with the ResNet-34's flip sum and its impostor spread
    sub = emb["resnet34Flip"][calib_idx]
    _, imp = pair_scores([idents[i] for i in calib_idx], [sub], lambda s: s[0])
    m3, s3 = float(np.mean(imp)), float(np.std(imp))
    pair_f = [emb["mobilefacenet"], emb["resnet34Flip"]]
    ev["fusionZFlip"] = figures(*pair_scores(idents, pair_f, lambda s: ((s[0] - m1) / s1 + (s[1] - m3) / s3) / 2))
    ev["fusionMax"] = figures(*pair_scores(idents, pair, lambda s: max((s[0] - m1) / s1, (s[1] - m2) / s2)))
    report["verification"] = dict(data="faces/ (all pairs, float detector keypoints)", faces=len(items),
                                  identities=len(set(idents)), **ev)
    # ---- speed (Python interpreter, 2 threads; compare within the run)
    x2 = np.stack([norm_input(chips[0])] * 2)
    speed = {"mobilefacenetMs": q.Runner(open(os.path.join(MODELS, "cache", "mobilefacenet.tflite"), "rb").read())
             .bench(q.embed_input(items[0][3]), n=30), "resnet34Ms": q.Runner(f16).bench(x2, n=30)}
    if not args.no_int8:
        speed["resnet34Int8Ms"] = q.Runner(i8).bench(x2, n=30)
    report["speedBatch2"] = speed
    print(json.dumps(speed))

    for name, b in variants.items():
        open(os.path.join(HERE, name), "wb").write(b)
    open(os.path.join(HERE, "LICENSE-MIT"), "w").write(license_text)
    report["files"] = {n: dict(sha256=hashlib.sha256(b).hexdigest(), size=len(b)) for n, b in variants.items()}
    with open(os.path.join(HERE, "report.json"), "w") as f:
        json.dump(report, f, indent=1, sort_keys=True)
        f.write("\n")
    with open(sums_path, "w") as f:
        for n, b in variants.items():
            f.write(f"{hashlib.sha256(b).hexdigest()}  faceapi/{n}\n")
    print(json.dumps(report["verification"], indent=1))


if __name__ == "__main__":
    main()
