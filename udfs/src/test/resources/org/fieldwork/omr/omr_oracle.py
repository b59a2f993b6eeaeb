"""Oracle for OmrOpenCvOracleTest: the bubble-reading pipeline of specs/omr.md written directly
in Python with Debian's cv2 and numpy (the tools OMRChecker is built on), printing every bubble's
mean gray as repr(float). The Java port must print the same text: same decoded pixels, same resizes,
warps and template matches, same numpy slicing and rounding rules.

Usage: omr_oracle.py SAMPLES_ROOT RELATIVE_FOLDER
Supports the pre-processors the shared samples use (CropPage, CropOnMarkers).
"""
import json, os, sys, re
import numpy as np, cv2

def parse_fields(labels):
    out = []
    for s in labels:
        m = re.findall(r"([^\.\d]+)(\d+)\.{2,3}(\d+)", s) if "." in s else []
        if m:
            p, a, b = m[0]; out += [f"{p}{i}" for i in range(int(a), int(b) + 1)]
        else:
            out.append(s)
    return out

FT = {"QTYPE_INT": (list("0123456789"), "vertical"), "QTYPE_INT_FROM_1": (list("1234567890"), "vertical"),
      "QTYPE_MCQ4": (list("ABCD"), "horizontal"), "QTYPE_MCQ5": (list("ABCDE"), "horizontal"),
      "QTYPE_MCQ4_RTL": (list("DCBA"), "horizontal"), "QTYPE_MCQ5_RTL": (list("EDCBA"), "horizontal")}

def normalize(img):
    return cv2.normalize(img, 0, 255, norm_type=cv2.NORM_MINMAX)

def order_points(pts):
    rect = np.zeros((4, 2), dtype="float32")
    s = pts.sum(axis=1); rect[0] = pts[np.argmin(s)]; rect[2] = pts[np.argmax(s)]
    diff = np.diff(pts, axis=1); rect[1] = pts[np.argmin(diff)]; rect[3] = pts[np.argmax(diff)]
    return rect

def fpt(image, pts):
    rect = order_points(pts); (tl, tr, br, bl) = rect
    wa = np.sqrt(((br[0] - bl[0]) ** 2) + ((br[1] - bl[1]) ** 2)); wb = np.sqrt(((tr[0] - tl[0]) ** 2) + ((tr[1] - tl[1]) ** 2))
    mw = max(int(wa), int(wb))
    ha = np.sqrt(((tr[0] - br[0]) ** 2) + ((tr[1] - br[1]) ** 2)); hb = np.sqrt(((tl[0] - bl[0]) ** 2) + ((tl[1] - bl[1]) ** 2))
    mh = max(int(ha), int(hb))
    dst = np.array([[0, 0], [mw - 1, 0], [mw - 1, mh - 1], [0, mh - 1]], dtype="float32")
    return cv2.warpPerspective(image, cv2.getPerspectiveTransform(rect, dst), (mw, mh))

def resize_h(img, h):
    return cv2.resize(img, (int(img.shape[1] * h / img.shape[0]), int(h)))

def angle(p1, p2, p0):
    dx1 = float(p1[0] - p0[0]); dy1 = float(p1[1] - p0[1]); dx2 = float(p2[0] - p0[0]); dy2 = float(p2[1] - p0[1])
    return (dx1 * dx2 + dy1 * dy2) / np.sqrt((dx1 * dx1 + dy1 * dy1) * (dx2 * dx2 + dy2 * dy2) + 1e-10)

def crop_page(image, opts):
    image = normalize(cv2.GaussianBlur(image, (3, 3), 0))
    im = normalize(image)
    _, im = cv2.threshold(im, 200, 255, cv2.THRESH_TRUNC); im = normalize(im)
    k = cv2.getStructuringElement(cv2.MORPH_RECT, tuple(opts.get("morphKernel", [10, 10])))
    edge = cv2.Canny(cv2.morphologyEx(im, cv2.MORPH_CLOSE, k), 185, 55)
    cnts = cv2.findContours(edge, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)[0]
    cnts = sorted([cv2.convexHull(c) for c in cnts], key=cv2.contourArea, reverse=True)[:5]
    for c in cnts:
        if cv2.contourArea(c) < 80000: continue
        a = cv2.approxPolyDP(c, epsilon=0.025 * cv2.arcLength(c, True), closed=True)
        if len(a) == 4:
            p = a.reshape(4, 2)
            if max(abs(angle(p[i % 4], p[i - 2], p[i - 1])) for i in range(2, 5)) < 0.35:
                return fpt(image, np.reshape(a, (4, -1)))
    return None

def load_marker(path, ratio, pw):
    m = cv2.imread(path, cv2.IMREAD_GRAYSCALE)
    uw = pw / int(ratio); m = cv2.resize(m, (int(uw), int(m.shape[0] * uw / m.shape[1])))
    m = cv2.GaussianBlur(m, (5, 5), 0); m = cv2.normalize(m, None, alpha=0, beta=255, norm_type=cv2.NORM_MINMAX)
    m -= cv2.erode(m, kernel=np.ones((5, 5)), iterations=5)
    return m

def crop_markers(image, marker):
    ies = normalize(image)
    h1, w1 = ies.shape[:2]; midh, midw = h1 // 3, w1 // 2
    origins = [[0, 0], [midw, 0], [0, midh], [midw, midh]]
    quads = [ies[0:midh, 0:midw], ies[0:midh, midw:w1], ies[midh:h1, 0:midw], ies[midh:h1, midw:w1]]
    ies[:, midw:midw + 2] = 255; ies[midh:midh + 2, :] = 255
    best, allmax = None, 0
    for r0 in np.arange(100, 35, -6):
        s = float(r0 * 1 / 100)
        t = cv2.matchTemplate(ies, resize_h(marker, int(marker.shape[0] * s)), cv2.TM_CCOEFF_NORMED).max()
        if allmax < t: best, allmax = s, t
    opt = resize_h(marker, int(marker.shape[0] * best)); h, w = opt.shape[:2]
    centres = []
    for k in range(4):
        res = cv2.matchTemplate(quads[k], opt, cv2.TM_CCOEFF_NORMED); mt = res.max()
        if mt < 0.3 or abs(allmax - mt) >= 0.41: return None
        pt = np.argwhere(res == mt)[0]; pt = [pt[1] + origins[k][0], pt[0] + origins[k][1]]
        image = cv2.rectangle(image, tuple(int(v) for v in pt), (int(pt[0] + w), int(pt[1] + h)), (150, 150, 150), 2)
        ies = cv2.rectangle(ies, tuple(int(v) for v in pt), (int(pt[0] + w), int(pt[1] + h)), (50, 50, 50), 4)
        centres.append([pt[0] + w / 2, pt[1] + h / 2])
    return fpt(image, np.array(centres))

def run(root, relative):
    parts = relative.split("/")
    chain = [os.path.join(root, *parts[:i]) for i in range(0, len(parts) + 1)]
    folder = os.path.join(root, relative)
    cfg = {"processing_width": 666, "processing_height": 820}; tpl = None; tdir = None
    for d in chain:
        if os.path.exists(os.path.join(d, "config.json")):
            cfg = {"processing_width": 666, "processing_height": 820}
            cfg.update(json.load(open(os.path.join(d, "config.json"))).get("dimensions", {}))
        if os.path.exists(os.path.join(d, "template.json")):
            tpl = json.load(open(os.path.join(d, "template.json"))); tdir = d
    markers = [p for p in tpl["preProcessors"] if p["name"] == "CropOnMarkers"]
    mk = load_marker(os.path.join(tdir, markers[0]["options"]["relativePath"]), markers[0]["options"]["sheetToMarkerWidthRatio"], cfg["processing_width"]) if markers else None
    excl = {os.path.abspath(os.path.join(tdir, p["options"]["relativePath"])) for p in markers}
    files = sorted(f for f in os.listdir(folder) if f.lower().endswith((".png", ".jpg", ".jpeg")) and os.path.abspath(os.path.join(folder, f)) not in excl)
    for f in files:
        img = cv2.imread(os.path.join(folder, f), cv2.IMREAD_GRAYSCALE)
        img = cv2.resize(img, (int(cfg["processing_width"]), int(cfg["processing_height"])))
        for p in tpl["preProcessors"]:
            img = crop_page(img, p.get("options", {})) if p["name"] == "CropPage" else crop_markers(img, mk)
            if img is None: break
        if img is None: print(f, "ERROR"); continue
        img = cv2.resize(img, tuple(tpl["pageDimensions"]))
        if img.max() > img.min(): img = normalize(img)
        for name, b in tpl["fieldBlocks"].items():
            vals, direc = FT[b["fieldType"]] if "fieldType" in b else (b["bubbleValues"], b.get("direction", "vertical"))
            bw, bh = b.get("bubbleDimensions", tpl["bubbleDimensions"])
            _h, _v = (1, 0) if direc == "vertical" else (0, 1)
            lead = [float(b["origin"][0]), float(b["origin"][1])]
            for lab in parse_fields(b["fieldLabels"]):
                pt = lead.copy(); means = []
                for v in vals:
                    x, y = round(pt[0]), round(pt[1])
                    means.append(cv2.mean(img[y:y + bh, x:x + bw])[0]); pt[_h] += b["bubblesGap"]
                lead[_v] += b["labelsGap"]
                print(f, lab, " ".join(repr(float(m)) for m in means))

run(sys.argv[1], sys.argv[2])
