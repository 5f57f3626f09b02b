#!/usr/bin/env python3
"""Writes the hand-made candidate corpus (candidate/*.cbor + candidate/expected.txt).

Run from this folder: python3 make_candidate_corpus.py. The files are committed; CandidateCorpusTest
decodes each one: valid-* must decode, bad-* must be rejected with the reason in expected.txt.
Add a case here, rerun, commit the new file.
"""
import os
import struct

def head(major, n):
    m = major << 5
    if n < 24: return bytes([m | n])
    if n < 0x100: return bytes([m | 24, n])
    if n < 0x10000: return bytes([m | 25]) + n.to_bytes(2, 'big')
    if n < 0x100000000: return bytes([m | 26]) + n.to_bytes(4, 'big')
    return bytes([m | 27]) + n.to_bytes(8, 'big')

def uint(n): return head(0, n)
def nint(n): return head(1, -1 - n)
def text(s): b = s.encode('utf-8'); return head(3, len(b)) + b
def bstr(b): return head(2, len(b)) + b
def arr(*items): return head(4, len(items)) + b''.join(items)
def f32(x): return b'\xfa' + struct.pack('>f', x)
def f64(x): return b'\xfb' + struct.pack('>d', x)
def f16raw(bits): return b'\xf9' + bits.to_bytes(2, 'big')

EMB = bytes(((i * 37) % 255 - 127) & 0xff for i in range(192))
FIELDS = [uint(1), text('cam-0001'), uint(31536000), uint(1767225600123), uint(70000), uint(873),
          arr(uint(1412), uint(655), uint(118), uint(131)), text('mobilefacenet@1.0.24'),
          bstr(EMB), f32(0.0061)]

def cand(**swap):
    f = list(FIELDS)
    for k, v in swap.items():
        f[int(k[1:])] = v
    return arr(*f)

VALID = cand()
cases = {
    'valid-realistic-192d': (VALID, None),
    'valid-min-1d': (arr(uint(1), text('0'), uint(0), uint(0), uint(0), uint(0),
                         arr(uint(0), uint(0), uint(0), uint(0)), text('m'), bstr(b'\x01'), f32(1e-30)), None),
    'valid-half-float-scale': (cand(f9=f16raw(0x1c00)), None),
    'valid-double-scale': (cand(f9=f64(0.0061)), None),
    'valid-non-shortest-ints': (cand(f0=b'\x18\x01', f2=b'\x1b' + (5).to_bytes(8, 'big')), None),
    'valid-indefinite-embedding': (cand(f8=b'\x5f' + bstr(EMB[:100]) + bstr(EMB[100:]) + b'\xff'), None),
    'valid-indefinite-array': (b'\x9f' + b''.join(FIELDS) + b'\xff', None),
    'bad-empty': (b'', 'empty payload'),
    'bad-oversized': (b'\x00' * 2049, 'exceeds 2048'),
    'bad-json': (b'{"v":1}', 'must be a CBOR array'),
    'bad-map': (b'\xa1\x61v\x01', 'must be a CBOR array, found a map'),
    'bad-version-2': (cand(f0=uint(2)), 'unsupported version 2'),
    'bad-version-2-sealed-shape': (arr(uint(2), text('cam-0001'), bstr(b'\x00' * 32)), 'unsupported version 2'),
    'bad-9-fields': (arr(*FIELDS[:9]), 'missing scale (field 9)'),
    'bad-11-fields': (arr(*FIELDS, uint(0)), 'found more'),
    'bad-box-3': (cand(f6=arr(uint(1), uint(2), uint(3))), 'exactly 4 numbers, had 3'),
    'bad-box-5': (cand(f6=arr(uint(1), uint(2), uint(3), uint(4), uint(5))), 'exactly 4 numbers, found more'),
    'bad-box-negative': (cand(f6=arr(nint(-1), uint(2), uint(3), uint(4))), 'box.x (field 6) must be in 0..65535, was -1'),
    'bad-sequence-negative': (cand(f2=nint(-7)), 'sequence (field 2) must be in'),
    'bad-sequence-2^64-1': (cand(f2=b'\x1b' + b'\xff' * 8), 'was 18446744073709551615'),
    'bad-time-year-10000': (cand(f3=uint(253402300800000)), 'captureTimeMillis (field 3)'),
    'bad-quality-1001': (cand(f5=uint(1001)), 'qualityPermille (field 5) must be in 0..1000'),
    'bad-scale-nan': (cand(f9=f32(float('nan'))), 'scale (field 9) must be > 0'),
    'bad-scale-half-nan': (cand(f9=f16raw(0x7e00)), 'scale (field 9) must be > 0'),
    'bad-scale-inf': (cand(f9=f64(float('inf'))), 'scale (field 9) must be > 0'),
    'bad-scale-zero': (cand(f9=f32(0.0)), 'scale (field 9) must be > 0'),
    'bad-scale-negative': (cand(f9=f32(-0.5)), 'scale (field 9) must be > 0'),
    'bad-scale-integer': (cand(f9=uint(1)), 'scale (field 9) must be a CBOR float'),
    'bad-embedding-zero': (cand(f8=bstr(b'\x00' * 192)), 'embedding (field 8) is all zero'),
    'bad-embedding-empty': (cand(f8=bstr(b'')), 'has 0 dimensions'),
    'bad-embedding-1025d': (cand(f8=bstr(b'\x01' * 1025)), 'has 1025 dimensions'),
    'bad-embedding-as-text': (cand(f8=text('abc')), 'must be a byte string, found a text string'),
    'bad-model-empty': (cand(f7=text('')), 'model (field 7) must be 1..64 visible ASCII'),
    'bad-model-65': (cand(f7=text('m' * 65)), 'model (field 7) is 65 characters'),
    'bad-model-rtl-override': (cand(f7=text('m@1\u202e')), "was 'm@1\\u202e'"),
    'bad-device-slash': (cand(f1=text('cam/1')), 'device (field 1) must be 1-64 characters'),
    'bad-device-plus': (cand(f1=text('+')), 'device (field 1) must be 1-64 characters'),
    'bad-device-hash': (cand(f1=text('#')), 'device (field 1) must be 1-64 characters'),
    'bad-device-dollar': (cand(f1=text('$SYS')), 'device (field 1) must be 1-64 characters'),
    'bad-device-unicode': (cand(f1=text('kamera-\u00fc')), "was 'kamera-\\u00fc'"),
    'bad-device-65': (cand(f1=text('a' * 65)), 'device (field 1) is 65 characters'),
    'bad-device-reserved': (cand(f1=text('tuf')), "'tuf' is reserved"),
    'bad-device-invalid-utf8': (cand(f1=b'\x62\xc3\x28'), 'candidate:'),
    'bad-tag-on-device': (cand(f1=b'\xc0' + text('cam-0001')), 'CBOR tag 0 is not allowed'),
    'bad-self-describe-tag': (b'\xd9\xd9\xf7' + VALID, 'CBOR tag 55799 is not allowed'),
    'bad-trailing-byte': (VALID + b'\x00', 'trailing bytes'),
    'bad-two-candidates': (VALID + VALID, 'trailing bytes'),
    'bad-truncated-in-embedding': (VALID[:150], 'candidate:'),
    'bad-deep-nesting': (b'\x81' * 1500 + b'\x01', 'version (field 0) must be an unsigned integer, found an array'),
    'bad-deep-nesting-in-box': (arr(*FIELDS[:6]) [:0] + head(4, 10) + b''.join(FIELDS[:6]) + b'\x81' * 1500, 'found an array'),
    'bad-indefinite-text-chunk-in-bytes': (cand(f8=b'\x5f' + text('x') + b'\xff'), 'candidate:'),
    'bad-huge-declared-length': (cand(f8=b'\x5b\x7f\xff\xff\xff\xff\xff\xff\xff' + EMB), 'candidate:'),
    'bad-reserved-additional-info': (b'\x1c', 'candidate:'),
    # Unicode in ids: zero-width space, a Cyrillic look-alike, an RTL override, full-width digits.
    'bad-device-zero-width': (cand(f1=text('cam-\u200b0001')), "was 'cam-\\u200b0001'"),
    'bad-device-confusable-cyrillic-a': (cand(f1=text('c\u0430m-0001')), "was 'c\\u0430m-0001'"),
    'bad-device-rtl-override': (cand(f1=text('cam-\u202e1000')), "was 'cam-\\u202e1000'"),
    'bad-device-fullwidth-digits': (cand(f1=text('cam-\uff10\uff11')), "was 'cam-\\uff10\\uff11'"),
    'bad-model-zero-width': (cand(f7=text('mfn\u200b-1.0.24')), "was 'mfn\\u200b-1.0.24'"),
    # Zero, NaN and infinite scales in every float width; an embedding that is all zero but 1 byte.
    'bad-scale-negative-zero': (cand(f9=f32(-0.0)), 'scale (field 9) must be > 0'),
    'bad-scale-half-inf': (cand(f9=f16raw(0x7c00)), 'scale (field 9) must be > 0'),
    'bad-scale-double-nan': (cand(f9=f64(float('nan'))), 'scale (field 9) must be > 0'),
    'bad-scale-float-overflow': (cand(f9=f64(1e300)), 'scale (field 9) must be > 0'),
    'bad-scale-127x-overflow': (cand(f9=f32(3.0e38)), 'scale (field 9) must be > 0'),
    'valid-embedding-one-nonzero': (cand(f8=bstr(b'\x00' * 191 + b'\x80')), None),
    # Sealed (version 2) payloads for a version-1 decoder: refused before anything else is read.
    'bad-version-2-full-sealed': (arr(uint(2), *FIELDS[1:8], bstr(b'\x01' * 4), bstr(b'\x02' * 32), bstr(b'\x03' * 212)), 'unsupported version 2'),
    'bad-version-3': (cand(f0=uint(3)), 'unsupported version 3'),
}

os.makedirs('candidate', exist_ok=True)
with open('candidate/expected.txt', 'w') as idx:
    idx.write('# file<TAB>expected reason substring (or "valid"); written by make_candidate_corpus.py\n')
    for name, (data, reason) in sorted(cases.items()):
        with open('candidate/' + name + '.cbor', 'wb') as f:
            f.write(data)
        idx.write(name + '.cbor\t' + ('valid' if reason is None else reason) + '\n')
print(len(cases), 'files')

# Sealed (version 2) cases, for the matcher's decoder (SealedCorpusTest opens them with the key of
# RFC 9180 A.1.1 skRm). valid-sealed-realistic-192d.cbor is written by SealedExampleTest.
with open('sealed/valid-sealed-realistic-192d.cbor', 'rb') as f:
    SEALED = f.read()
SH = [uint(2), *FIELDS[1:8]]
KID, EPH, CT = bstr(SEALED[66:70]), bstr(SEALED[72:104]), bstr(SEALED[106:])
assert arr(*SH, KID, EPH, CT) == SEALED, 'sealed example layout changed'

def flip(data, i):
    b = bytearray(data); b[i] ^= 0x01; return bytes(b)

sealed_cases = {
    'valid-sealed-indefinite-array': (b'\x9f' + b''.join(SH) + KID + EPH + CT + b'\xff', None),
    'bad-sealed-10-fields': (arr(*SH, KID, EPH), 'missing ciphertext (field 10)'),
    'bad-sealed-12-fields': (arr(*SH, KID, EPH, CT, uint(0)), 'found more'),
    'bad-sealed-key-id-3': (arr(*SH, bstr(SEALED[66:69]), EPH, CT), 'keyId (field 8) must be 4 bytes, was 3'),
    'bad-sealed-ephemeral-31': (arr(*SH, KID, bstr(SEALED[72:103]), CT), 'ephemeralKey (field 9) must be 32 bytes, was 31'),
    'bad-sealed-ciphertext-20': (arr(*SH, KID, EPH, bstr(b'\x00' * 20)), 'ciphertext (field 10) must be 21..1044 bytes, was 20'),
    'bad-sealed-ciphertext-1045': (arr(*SH, KID, EPH, bstr(b'\x00' * 1045)), 'must be 21..1044 bytes, was 1045'),
    'bad-sealed-ciphertext-as-text': (arr(*SH, KID, EPH, text('x' * 30)), 'ciphertext (field 10) must be a byte string'),
    'bad-sealed-unknown-key': (arr(*SH, bstr(b'\x00\x00\x00\x00'), EPH, CT), 'sealed to key 00000000'),
    'bad-sealed-tampered-sequence': (arr(uint(2), FIELDS[1], uint(31536001), *FIELDS[3:8], KID, EPH, CT), 'failed authentication'),
    'bad-sealed-tampered-ciphertext': (flip(SEALED, 200), 'failed authentication'),
    'bad-sealed-tampered-tag': (flip(SEALED, len(SEALED) - 1), 'failed authentication'),
    'bad-sealed-tampered-ephemeral': (flip(SEALED, 80), 'failed authentication'),
    'bad-sealed-low-order-ephemeral': (arr(*SH, KID, bstr(b'\x00' * 32), CT), 'failed authentication'),
    'bad-sealed-device-zero-width': (arr(uint(2), text('cam-\u200b0001'), *FIELDS[2:8], KID, EPH, CT), "was 'cam-\\u200b0001'"),
    'bad-sealed-tag-on-ciphertext': (arr(*SH, KID, EPH, b'\xd8\x18' + CT), 'CBOR tag 24 is not allowed'),
    'bad-sealed-bignum-ciphertext': (arr(*SH, KID, EPH, b'\xc2' + CT), 'must be a byte string, found an integer'),
}
with open('sealed/expected.txt', 'w') as idx:
    idx.write('# file<TAB>expected reason substring (or "valid"); written by make_candidate_corpus.py\n')
    idx.write('valid-sealed-realistic-192d.cbor\tvalid\n')
    for name, (data, reason) in sorted(sealed_cases.items()):
        with open('sealed/' + name + '.cbor', 'wb') as f:
            f.write(data)
        idx.write(name + '.cbor\t' + ('valid' if reason is None else reason) + '\n')
print(len(sealed_cases), 'sealed files')
