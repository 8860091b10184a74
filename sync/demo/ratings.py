"""The demo's behaviour ratings: 360° BerAKHLAK feedback and the supervisors' final words.

`behaviours` draws the Perilaku tab (who rates whom each month as Atasan, Rekan
Kerja, Bawahan or Diri Sendiri, scores 1-5 around each employee's disposition, and
Umpan Balik text); `supervisor_ratings` draws Penilaian Atasan, including the
Sekda's behaviour rating of every unit head. It is separate because the rater and
peer-group bookkeeping is only about behaviour and reads nothing but the organisation.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sync.demo.catalogue import FEEDBACK, MOOD, ROLES, VALUES
from sync.demo.people import Org


def behaviours(rng, org: Org, labels: np.ndarray, mode: str) -> pd.DataFrame:
    """Perilaku: 360° BerAKHLAK ratings, 1-5, around each employee's disposition."""
    size = org.nip.size
    month, nip, rater, role = _rating_rows(rng, org, labels.size, mode)
    mood = MOOD[org.tier] + rng.normal(0, 0.12, size)
    offsets = rng.normal(0, 0.25, (size, len(VALUES)))
    staff = np.flatnonzero((org.level == 2) & (org.tier == 1))
    if staff.size:  # a couple whose one weak value calls for training (Tindak Lanjut: Pelatihan)
        weak = rng.choice(staff, min(staff.size, max(2, size // 100)), replace=False)
        value = rng.integers(0, len(VALUES), weak.size)
        value[0] = VALUES.index("accountable")
        offsets[weak, value] -= 1.7
    lenience = np.array([0.0, 0.1, 0.15, 0.35])[role]
    score = ((mood[nip] + lenience + rng.normal(0, 0.3, nip.size))[:, None] + offsets[nip]
             + rng.normal(0, 0.4, (nip.size, len(VALUES))))
    score = np.clip(np.rint(score), 1, 5).astype(np.int64)
    frame = pd.DataFrame({"month": labels[month], "nip": org.nip[nip], "rater_nip": org.nip[rater],
                          "role": ROLES[role]})
    for i, name in enumerate(VALUES):
        frame[name] = score[:, i]
    frame["feedback"] = _feedback(rng, score.mean(axis=1), role)
    return frame


def _rating_rows(rng, org: Org, n_months: int, mode: str):
    """Who rates whom when: month, rated, rater and role (0 Atasan ... 3 Diri Sendiri) per row."""
    size = org.nip.size
    month = np.arange(n_months)[:, None]
    has_sup = np.broadcast_to(org.sup >= 0, (n_months, size))
    group, place, member = _peer_groups(org)
    first = 1 + (month + rng.integers(0, 1000, size)) % np.maximum(group - 1, 1)
    second = 1 + first % np.maximum(group - 1, 1)
    if mode == "monthly":
        supervised = has_sup.copy()
        late = np.flatnonzero(org.level == 2)
        if n_months >= 2 and late.size:  # one or two atasan skipped a month
            late = rng.choice(late, min(late.size, max(2, size // 200)), replace=False)
            supervised[rng.integers(0, n_months, late.size), late] = False
        peers = [(group >= 2) & (month >= 0), (group >= 3) & (rng.random((n_months, size)) < 0.5)]
        subs = np.bincount(org.sup[org.sup >= 0], minlength=size)
        below = has_sup & (rng.random((n_months, size)) < 1.5 / np.maximum(subs[org.sup], 1))
        self_rated = rng.random((n_months, size)) < 0.25
    else:  # about 7 rows per employee per year: 4 Atasan, 2 Rekan Kerja, 1 Diri Sendiri
        quarter = np.isin(month, np.round(np.linspace(n_months / 4 - 1, n_months - 1, 4)))
        supervised = has_sup & quarter
        peers = [(group >= 2) & np.isin(month, [max(n_months // 2 - 1, 0), n_months - 1]),
                 np.zeros((n_months, size), bool)]
        below = np.zeros((n_months, size), bool)
        self_rated = np.broadcast_to(month == n_months - 1, (n_months, size))
    parts = [(supervised, "self", lambda m, e: org.sup[e], 0),
             (peers[0], "self", lambda m, e: member((place[e] + first[m, e]) % group[e], e), 1),
             (peers[1], "self", lambda m, e: member((place[e] + second[m, e]) % group[e], e), 1),
             (below, "sup", lambda m, e: e, 2),
             (self_rated, "self", lambda m, e: e, 3)]
    out = [[], [], [], []]
    for mask, rated, who, role in parts:
        m, e = np.nonzero(mask)
        out[0].append(m)
        out[1].append(e if rated == "self" else org.sup[e])
        out[2].append(who(m, e))
        out[3].append(np.full(m.size, role))
    month, nip, rater, role = (np.concatenate(x) for x in out)
    order = np.lexsort((rater, role, nip, month))
    return month[order], nip[order], rater[order], role[order]


def _peer_groups(org: Org):
    """Each employee's peer group (same supervisor; unit heads with each other): size, place, member()."""
    n, s, unit, seat = org.per_unit, org.sections, org.unit, org.seat
    span = np.maximum(s, 1)
    staff = n - 1 - s
    section = (seat - 1 - s) % span
    head, lead = org.level == 0, org.level == 1
    group = np.select([head, lead], [len(org.units), s], staff // span + (section < staff % span))
    place = np.select([head, lead], [unit, seat - 1], (seat - 1 - s) // span)

    def member(p, e):
        return np.select([head[e], lead[e]], [p * n, unit[e] * n + 1 + p],
                         unit[e] * n + 1 + s[e] + p * span[e] + section[e])

    return group, place, member


def _feedback(rng, mean: np.ndarray, role: np.ndarray) -> np.ndarray:
    """Umpan Balik on about a fifth of the supervisors' rows, matching the scores given."""
    kind = np.select([mean >= 4.4, mean >= 3.6], [0, 1], 2)
    texts = [FEEDBACK["praise"], FEEDBACK["neutral"], FEEDBACK["improve"]]
    flat = np.array([t for group in texts for t in group] + [None], dtype=object)
    offset = np.cumsum([0] + [len(t) for t in texts[:-1]])[kind]
    count = np.array([len(t) for t in texts])[kind]
    which = offset + rng.integers(0, 1 << 30, mean.size) % count
    return flat[np.where((role == 0) & (rng.random(mean.size) < 0.2), which, flat.size - 1)]


def supervisor_ratings(rng, org: Org, labels: np.ndarray) -> pd.DataFrame:
    """Penilaian Atasan: a handful of supervisors' final words, mostly lifting a rating."""
    rated = np.flatnonzero(org.sup >= 0)
    count = min(rated.size, max(5, org.nip.size // 200))
    stars, rest = rated[org.tier[rated] == 0], rated[org.tier[rated] != 0]
    from_stars = min(stars.size, count // 2 + 1)
    who = np.concatenate([rng.choice(stars, from_stars, replace=False),
                          rng.choice(rest, min(rest.size, count - from_stars), replace=False)])
    tier = org.tier[who]
    notes = np.array(["Berinisiatif membuka layanan jemput bola di gampong dan membimbing pegawai baru",
                      "Menyelesaikan tunggakan berkas selama rekan satu bidang cuti melahirkan",
                      "Realisasi rendah karena blangko dan jaringan terganggu, di luar kendali pegawai"],
                     dtype=object)
    kind = np.select([tier == 0, tier == 1], [0, 1], 2)
    frame = pd.DataFrame({
        "period": labels[rng.integers(0, labels.size, who.size)],
        "nip": org.nip[who],
        "work_rating": np.array([None, "Di Atas Ekspektasi", "Sesuai Ekspektasi"], dtype=object)[kind],
        "behaviour_rating": np.where(kind == 0, "Di Atas Ekspektasi", None),
        "note": notes[kind],
    })
    # A unit head's atasan (the Sekda) is not in the agency's workbook: the Sekda's word on
    # behaviour arrives through Penilaian Atasan every period, so heads are scored completely.
    heads = np.flatnonzero(org.sup < 0)
    period, head = np.meshgrid(labels, heads, indexing="ij")
    head = head.ravel()
    by_sekda = pd.DataFrame({
        "period": period.ravel(),
        "nip": org.nip[head],
        "work_rating": None,
        "behaviour_rating": np.where(org.tier[head] == 0, "Di Atas Ekspektasi", "Sesuai Ekspektasi"),
        "note": "Penilaian perilaku oleh Sekretaris Daerah",
    })
    frame = pd.concat([frame, by_sekda], ignore_index=True)
    return frame.sort_values(["period", "nip"], ignore_index=True)
