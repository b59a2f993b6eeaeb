# Dumps what the reference tools read from every SEG-Y file under a folder, for SegyReaderOracleTest.
# usage: segy_oracle.py DATA_DIR OUT_DIR
# Oracle per file: segyio when it opens the file and understands its format; otherwise an
# independent numpy decoding from the layout rules of the SEG-Y standard (segyio 1.8 knows neither
# revision 2 nor formats 6, 7, 9-16, nor extended-header count -1); "none" when the file is invalid.
import glob, json, os, struct, sys, warnings
import numpy as np
import segyio

data_dir, out_dir = sys.argv[1], sys.argv[2]
files = sorted(glob.glob('*.sgy', root_dir=data_dir)) + sorted(glob.glob('multiformats/*.sgy', root_dir=data_dir))
BPS = {1: 4, 2: 4, 3: 2, 5: 4, 6: 8, 7: 3, 8: 1, 9: 8, 10: 4, 11: 2, 12: 8, 15: 3, 16: 1}
BIN_KEYS = [(k, v) for k, v in segyio.binfield.keys.items() if not k.startswith('Unassigned')]
TKEYS = list(segyio.tracefield.keys.items())
TRACE_FIELDS = [(k, v, (TKEYS[i + 1][1] if i + 1 < len(TKEYS) else 241) - v) for i, (k, v) in enumerate(TKEYS)]


def segyio_dump(path, little):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        with segyio.open(path, ignore_geometry=True, endian='little' if little else 'big') as f:
            b = {str(k): int(v) for k, v in f.bin.items()}
            if b['ExtendedHeaders'] == -1 or any('Unknown trace value format' in str(w.message) for w in caught):
                return None, 'segyio 1.8 misreads it (format %d, extended headers %d)' % (b['Format'], b['ExtendedHeaders'])
            n = f.tracecount
            headers = {str(k): [] for k in f.header[0].keys()} if n else {}
            for i in range(n):
                for k, v in f.header[i].items():
                    headers[str(k)].append(int(v))
            samples = np.asarray(f.trace.raw[:]).astype('<f4') if n else np.zeros(0, '<f4')
            text = [bytes(t).decode('latin-1') for t in f.text]
            return dict(tracecount=n, ns=len(f.samples), bin=b, headers=headers, text=text,
                        dtype=str(f.dtype)), samples


def ibm_to_f32(words):
    w = words.astype(np.uint32)
    sign = np.where(w >> 31, -1.0, 1.0)
    exp = ((w >> 24) & 0x7f).astype(np.int64)
    frac = (w & 0xffffff).astype(np.float64)
    return (sign * np.ldexp(frac, (4 * (exp - 64) - 24).astype(np.int32))).astype(np.float32)


def numpy_dump(path, little):
    raw = open(path, 'rb').read()
    e = '<' if little else '>'
    u = lambda off, fmt: struct.unpack_from(e + fmt, raw, off - 1)[0]
    if len(raw) < 3600:
        return None, 'shorter than 3600 bytes'
    fmt = u(3225, 'h')
    if fmt not in BPS:
        return None, 'format code %d' % fmt
    rev = raw[3500] or raw[3501]
    ns = u(3221, 'H')
    if u(3269, 'i') > 0 and (ns == 0 or rev >= 2):
        ns = u(3269, 'i')
    next_ = u(3505, 'h')
    extra = u(3507, 'h') if rev >= 2 else 0
    if next_ == -1:
        next_, at = 0, 3600
        while True:
            if at + 3200 > len(raw):
                return None, 'no ((SEG: EndText))'
            stanza = raw[at:at + 3200]
            txt = stanza.decode('latin-1') + stanza.decode('cp037')
            next_ += 1
            at += 3200
            if '((SEG:ENDTEXT))' in ''.join(txt.split()).upper():
                break
    if next_ < 0 or extra < 0 or ns <= 0:
        return None, 'bad counts'
    first = 3600 + 3200 * next_
    if rev >= 2 and u(3521, 'Q') > 0:
        first = u(3521, 'Q')
    hdr = 240 * (1 + extra)
    tsize = hdr + ns * BPS[fmt]
    if len(raw) <= first or (len(raw) - first) % tsize:
        return None, 'size %d is not %d + k * %d' % (len(raw), first, tsize)
    n = (len(raw) - first) // tsize
    block = np.frombuffer(raw, np.uint8, offset=first).reshape(n, tsize)
    body = np.ascontiguousarray(block[:, hdr:])
    if fmt in (7, 15):
        b3 = body.reshape(n, ns, 3).astype(np.int64)
        v = (b3[..., 2] << 16 | b3[..., 1] << 8 | b3[..., 0]) if little else (b3[..., 0] << 16 | b3[..., 1] << 8 | b3[..., 2])
        if fmt == 7:
            v = np.where(v >= 1 << 23, v - (1 << 24), v)
        samples = v.astype(np.float32)
    elif fmt == 1:
        samples = ibm_to_f32(body.view(e + 'u4'))
    else:
        dt = {2: 'i4', 3: 'i2', 5: 'f4', 6: 'f8', 8: 'i1', 9: 'i8', 10: 'u4', 11: 'u2', 12: 'u8', 16: 'u1'}[fmt]
        samples = body.view(e + dt).astype(np.float32)
    headers = {}
    for k, pos, w in TRACE_FIELDS:
        col = np.ascontiguousarray(block[:, pos - 1:pos - 1 + w]).view(e + ('i4' if w == 4 else 'i2')).reshape(n)
        headers[k] = [int(x) for x in col]
    b = {k: u(v, 'i' if v < 3213 else 'h') for k, v in BIN_KEYS}
    text = [raw[0:3200].decode('latin-1')]
    return dict(tracecount=n, ns=ns, bin=b, headers=headers, text=None, first=first, tsize=tsize,
                extended=next_), samples.astype('<f4').reshape(-1)


index = []
for i, name in enumerate(files):
    path = os.path.join(data_dir, name)
    little = 'lsb' in name
    rec = dict(file=name, little=little, id=i)
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # segyio aborts the process on some files (assertions), so ask it in a child
        os.close(r)
        try:
            meta, samples = segyio_dump(path, little)
            if meta is not None:
                samples.tofile(os.path.join(out_dir, '%d.f32' % i))
                json.dump(meta, open(os.path.join(out_dir, '%d.json' % i), 'w'))
                msg = 'ok'
            else:
                msg = 'misread: ' + samples
        except Exception as ex:
            msg = 'rejected: %s: %s' % (type(ex).__name__, ex)
        os.write(w, msg.encode())
        os._exit(0)
    os.close(w)
    msg = os.read(r, 65536).decode()
    os.close(r)
    _, status = os.waitpid(pid, 0)
    rec['segyio'] = msg if status == 0 else 'crashed (status %d) %s' % (status, msg)
    if rec['segyio'] == 'ok':
        rec['oracle'] = 'segyio'
    else:
        meta, samples = numpy_dump(path, little)
        if meta is None:
            rec['oracle'] = 'none'
            rec['reason'] = samples
        else:
            rec['oracle'] = 'numpy'
            samples.tofile(os.path.join(out_dir, '%d.f32' % i))
            json.dump(meta, open(os.path.join(out_dir, '%d.json' % i), 'w'))
    index.append(rec)
json.dump(index, open(os.path.join(out_dir, 'index.json'), 'w'), indent=1)
