#!/usr/bin/env python3
"""Writes the hand-made JSON corpus (json/*.json + json/expected.txt) for Status, DeviceEvent and
Alert: edge cases of docs/protocol.md section 6. Run from this folder; commit the files.
JsonCorpusTest decodes each file with the decoder named in expected.txt."""
import json, os

STATUS = {"v": 1, "device": "cam-0001", "site": "site-01", "state": "online", "time": 1767225600000,
          "versions": {"agent": "0.1.0", "model": "mfn-1.0.24"},
          "health": {"camera": {"state": "OK", "reason": ""}}, "counters": {"frames": 1200}}
EVENT = {"v": 1, "device": "cam-0001", "time": 1767225600000, "type": "update.applied",
         "detail": {"target": "watchlist-42"}}
ALERT = {"v": 1, "id": "a-1", "site": "site-01", "device": "cam-0001", "sequence": 31536000,
         "captureTimeMillis": 1767225600123, "matchTimeMillis": 1767225600150, "entryId": "w-7",
         "label": "Person 7", "score": 0.71, "threshold": 0.55, "trackId": 70000,
         "box": {"x": 1412, "y": 655, "width": 118, "height": 131}}

def with_(base, **kw):
    d = dict(base); d.update(kw); return d

def enc(obj):
    return json.dumps(obj, ensure_ascii=False, separators=(',', ':')).encode('utf-8')

def nested(depth):
    return '{"x":' * depth + '1' + '}' * depth

cases = {
    # name: (decoder, bytes, reason or None)
    'valid-status': ('status', enc(STATUS), None),
    'valid-event': ('event', enc(EVENT), None),
    'valid-alert': ('alert', enc(ALERT), None),
    'valid-status-unknown-nested-31': ('status', enc(STATUS)[:-1] + b',"later":' + nested(30).encode() + b'}', None),
    'valid-alert-unicode-label': ('alert', enc(with_(ALERT, label='Zo\u00eb \u05e9\u05dc\u05d5\u05dd \u202e')), None),
    'bad-status-nested-33': ('status', enc(STATUS)[:-1] + b',"later":' + nested(32).encode() + b'}', 'nesting depth'),
    'bad-status-nested-10000': ('status', enc(STATUS)[:-1] + b',"later":' + nested(10000).encode() + b'}', 'status:'),
    'bad-status-array-nesting-10000': ('status', b'[' * 10000 + b']' * 10000, 'status:'),
    'bad-status-oversized': ('status', enc(STATUS)[:-1] + b',"pad":"' + b'x' * 65536 + b'"}', 'exceeds 65536'),
    'bad-status-device-zero-width': ('status', enc(with_(STATUS, device='cam-\u200b0001')), "cam-\\u200b0001"),
    'bad-status-device-cyrillic-a': ('status', enc(with_(STATUS, device='c\u0430m-0001')), "c\\u0430m-0001"),
    'bad-status-device-rtl-override': ('status', enc(with_(STATUS, device='cam-\u202e1000')), "cam-\\u202e1000"),
    'bad-status-site-fullwidth': ('status', enc(with_(STATUS, site='site\uff0d01')), "site\\uff0d01"),
    'bad-status-nan-time': ('status', enc(STATUS).replace(b'1767225600000', b'NaN'), 'status:'),
    'bad-status-duplicate-key': ('status', enc(STATUS)[:-1] + b',"device":"cam-0002"}', 'Duplicate field'),
    'bad-status-null': ('status', b'null', 'status:'),
    'bad-status-version-2': ('status', enc(with_(STATUS, v=2)), 'unsupported version 2'),
    'bad-status-invalid-utf8': ('status', enc(STATUS).replace(b'online', b'onl\xc3\x28ne'), 'status:'),
    'bad-event-device-zero-width': ('event', enc(with_(EVENT, device='\u200bcam')), "\\u200bcam"),
    'bad-event-type-65': ('event', enc(with_(EVENT, type='t' * 65)), 'type'),
    'bad-event-detail-not-string': ('event', enc(with_(EVENT, detail={'n': 1})), 'event:'),
    'bad-alert-score-infinity': ('alert', enc(ALERT).replace(b'0.71', b'1e999'), 'alert:'),
    'bad-alert-score-nan-literal': ('alert', enc(ALERT).replace(b'0.71', b'NaN'), 'alert:'),
    'bad-alert-device-cyrillic-a': ('alert', enc(with_(ALERT, device='c\u0430m-0001')), "c\\u0430m-0001"),
    'bad-alert-box-negative': ('alert', enc(with_(ALERT, box={"x": -1, "y": 0, "width": 1, "height": 1})), 'alert:'),
    'bad-alert-trailing-data': ('alert', enc(ALERT) + b' {}', 'alert:'),
}

os.makedirs('json', exist_ok=True)
with open('json/expected.txt', 'w', encoding='utf-8') as idx:
    idx.write('# file<TAB>decoder<TAB>expected reason substring (or "valid"); written by make_json_corpus.py\n')
    for name, (decoder, data, reason) in sorted(cases.items()):
        with open('json/' + name + '.json', 'wb') as f:
            f.write(data)
        idx.write(name + '.json\t' + decoder + '\t' + ('valid' if reason is None else reason) + '\n')
print(len(cases), 'files')
