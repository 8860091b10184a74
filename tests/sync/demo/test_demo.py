import datetime as dt
import re
import time

import numpy as np
import pandas as pd
import pytest

from sheet_templates.schema import INPUT_TABS, SETTINGS
from sync.demo.build import demo_data, demo_frames_for_scale, demo_settings

YEAR = 2026
PNS_GRADES = {f"{r}/{c}" for r, cs in (("I", "abcd"), ("II", "abcd"), ("III", "abcd"), ("IV", "abcde"))
              for c in cs}
PPPK_GRADES = {"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV",
               "XV", "XVI", "XVII"}
FIRST_UNITS = ["Dinas Kependudukan dan Pencatatan Sipil", "Dinas Kesehatan", "Dinas Pendidikan"]
VALUES = ["service", "accountable", "competent", "harmonious", "loyal", "adaptive", "collaborative"]
ITEMS = [f"u{i}" for i in range(1, 10)]


@pytest.fixture(scope="module")
def tabs():
    return demo_data()


def nip_problem(nip: str, asn_type: str) -> str | None:
    """What is wrong with `nip` for its ASN type (domain.md §4), or None."""
    if not re.fullmatch(r"\d{18}", nip):
        return "not 18 digits"
    try:
        birth = dt.date(int(nip[:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        return "bad birth date"
    if not YEAR - 60 <= birth.year <= YEAR - 18:
        return "implausible age"
    if asn_type == "PNS":
        tmt_year, tmt_month = int(nip[8:12]), int(nip[12:14])
        if not 1 <= tmt_month <= 12:
            return "bad TMT month"
    else:
        tmt_year = int(nip[8:12])
        if nip[12] != "2" or nip[13] == "0":
            return "bad PPPK code or term"
    if not birth.year + 18 <= tmt_year <= YEAR:
        return "TMT not consistent with age"
    if nip[14] not in "12":
        return "bad sex digit"
    if nip[15:] == "000":
        return "sequence 000"
    return None


def test_every_input_tab_with_schema_columns_in_order(tabs):
    assert set(tabs) == {tab.name for tab in INPUT_TABS}
    for tab in INPUT_TABS:
        assert list(tabs[tab.name].columns) == list(tab.column_names), tab.name


def test_choice_columns_hold_only_schema_labels(tabs):
    for tab in INPUT_TABS:
        for col in tab.columns:
            if col.choices:
                used = set(tabs[tab.name][col.name].dropna())
                assert used <= set(col.labels), (tab.name, col.name, used - set(col.labels))


def test_keys_are_unique(tabs):
    for tab in INPUT_TABS:
        if tab.key:
            assert not tabs[tab.name].duplicated(list(tab.key)).any(), tab.name


def test_units_start_with_the_three_service_units(tabs):
    units = list(dict.fromkeys(tabs["employees"]["unit"]))
    assert len(units) >= 3
    assert units[:3] == FIRST_UNITS


def test_more_units_get_real_then_numbered_names():
    units = list(dict.fromkeys(demo_data(units=40, employees_per_unit=2, surveys=0)["employees"]["unit"]))
    assert len(units) == len(set(units)) == 40
    assert units[:3] == FIRST_UNITS
    assert "Dinas Sosial" in units
    assert any(re.search(r"\d", u) for u in units[-5:])


def test_hierarchy_one_head_per_unit_no_cycles(tabs):
    emp = tabs["employees"]
    assert len(emp) >= 40
    boss = {n: None if pd.isna(b) else b for n, b in zip(emp["nip"], emp["supervisor_nip"], strict=True)}
    heads = emp[emp["supervisor_nip"].isna()]
    assert sorted(heads["unit"]) == sorted(emp["unit"].unique())
    assert set(heads["position"]) == {"Kepala Dinas"}
    for nip in emp["nip"]:
        seen = {nip}
        while boss[nip] is not None:
            assert boss[nip] in boss, f"supervisor of {nip} is not an employee"
            nip = boss[nip]
            assert nip not in seen, "cycle"
            seen.add(nip)
    # section heads report to the head, staff to a section head of the same unit
    unit_of = dict(zip(emp["nip"], emp["unit"], strict=True))
    assert all(unit_of[b] == unit_of[n] for n, b in boss.items() if b is not None)
    assert emp["supervisor_nip"].isin(heads["nip"]).sum() >= 3 * 2
    assert (emp["active"] == "Ya").all()


def test_nips_are_unique_valid_18_digit_strings(tabs):
    emp = tabs["employees"]
    assert emp["nip"].map(type).eq(str).all()
    assert emp["nip"].is_unique
    problems = {n: nip_problem(n, t) for n, t in zip(emp["nip"], emp["asn_type"], strict=True)}
    assert {n: p for n, p in problems.items() if p} == {}


def test_asn_types_and_golongan(tabs):
    emp = tabs["employees"]
    pppk = emp["asn_type"] == "PPPK"
    assert 0.05 <= pppk.mean() <= 0.3
    assert emp.loc[pppk, "rank"].isin(PPPK_GRADES).all()
    assert emp.loc[~pppk, "rank"].isin(PNS_GRADES).all()
    assert emp["name"].str.len().gt(5).all()


def test_skp_indicators(tabs):
    skp, emp = tabs["indicators"], tabs["employees"]
    assert skp["iki_code"].is_unique
    assert skp["iki_code"].str.fullmatch(r"[A-Z0-9]+-\d{4}-\d").all()
    assert skp["nip"].isin(emp["nip"]).all()
    assert skp.groupby("nip").size().between(3, 5).all()
    assert set(skp["nip"]) == set(emp["nip"])
    assert (skp["target"] > 0).all()
    ranged = skp["target_max"].notna()
    assert ranged.any() and (skp.loc[ranged, "target_max"] >= skp.loc[ranged, "target"]).all()
    assert skp["rhk_type"].value_counts().idxmax() == "Utama"
    assert (skp["rhk_type"] == "Tambahan").any()
    weighted = skp[skp["weight"].notna()].groupby("nip")["weight"].sum()
    assert len(weighted) > 0 and (weighted == 100).all()
    days = skp[(skp["direction"] == "Turun") & (skp["unit_of_measure"] == "hari")]
    assert not days.empty


def test_dukcapil_birth_certificate_indicator():
    skp = demo_data(indicators_per_employee=5, employees_per_unit=40)["indicators"]
    akta = skp[skp["indicator"] == "Rata-rata waktu penerbitan akta kelahiran"].iloc[0]
    assert akta[["aspect", "unit_of_measure", "target", "direction", "aggregation"]].tolist() == [
        "Waktu", "hari", 3, "Turun", "Rata-rata"]


def test_realisations_cover_the_year(tabs):
    real, skp = tabs["realisations"], tabs["indicators"]
    assert real["iki_code"].isin(skp["iki_code"]).all()
    assert real["month"].str.fullmatch(rf"{YEAR}-(0[1-9]|1[0-2])").all()
    assert (real["value"] >= 0).all()
    per_code = real.groupby("iki_code").size()
    assert per_code.max() == 12
    assert (per_code < 12).sum() >= 2  # a couple of employees are behind with their reports
    assert real["period_target"].notna().any()
    assert real["obstacle"].notna().any() and real["follow_up_plan"].notna().any()
    links = real["evidence_url"].dropna()
    assert len(links) > 0 and links.str.startswith("https://").all()


def test_jumlah_reports_are_monthly_amounts(tabs):
    real, skp = tabs["realisations"], tabs["indicators"]
    plain = real[real["period_target"].isna()].merge(skp, on="iki_code")
    total = plain[plain["aggregation"] == "Jumlah"]
    ratio = total.groupby("iki_code")["value"].mean() / total.groupby("iki_code")["target"].first() * 12
    assert 0.7 < ratio.median() < 1.3


def test_behaviour_feedback(tabs):
    beh, emp = tabs["behaviours"], tabs["employees"]
    assert beh["month"].str.fullmatch(rf"{YEAR}-(0[1-9]|1[0-2])").all()
    assert beh["nip"].isin(emp["nip"]).all() and beh["rater_nip"].isin(emp["nip"]).all()
    assert set(beh["role"]) == {"Atasan", "Rekan Kerja", "Bawahan", "Diri Sendiri"}
    scores = beh[VALUES]
    assert all(pd.api.types.is_integer_dtype(scores[c]) for c in VALUES)
    assert scores.isin(range(1, 6)).all().all()
    boss = dict(zip(emp["nip"], emp["supervisor_nip"], strict=True))
    by_boss = beh[beh["role"] == "Atasan"]
    assert (by_boss["rater_nip"] == by_boss["nip"].map(boss)).all()
    own = beh[beh["role"] == "Diri Sendiri"]
    assert (own["rater_nip"] == own["nip"]).all()
    rated = by_boss.groupby("nip")["month"].nunique()
    assert (rated < 12).any()  # an atasan skipped a month
    counted = beh[beh["role"] != "Diri Sendiri"]
    assert counted.groupby("nip")[VALUES].mean().lt(3).any(axis=1).sum() >= 2


def test_supervisor_ratings_lift_someone(tabs):
    sup = tabs["supervisor_ratings"]
    emp = tabs["employees"]
    heads = set(emp.loc[emp["supervisor_nip"].isna(), "nip"])
    by_sekda = sup["nip"].isin(heads)
    # Unit heads' behaviour is rated by the Sekda (outside the workbook) in every period.
    assert by_sekda.sum() == len(heads) * sup["period"].nunique()
    assert sup.loc[by_sekda, "behaviour_rating"].notna().all()
    assert 1 <= (~by_sekda).sum() <= 10
    assert (sup["behaviour_rating"] == "Di Atas Ekspektasi").any()
    assert sup["nip"].isin(tabs["employees"]["nip"]).all()
    assert sup["period"].str.fullmatch(rf"{YEAR}-\d\d").all()


def test_surveys(tabs):
    srv, emp = tabs["surveys"], tabs["employees"]
    assert len(srv) >= 100
    assert srv["response_id"].is_unique
    assert srv["response_id"].str.startswith("2_ABaOnu").mean() > 0.7
    assert pd.api.types.is_datetime64_any_dtype(srv["timestamp"])
    assert (srv["timestamp"].dt.year == YEAR).all()
    assert {"Dinas Kependudukan dan Pencatatan Sipil", "Dinas Kesehatan"} <= set(srv["service_unit"])
    answers = srv[ITEMS]
    assert answers.isin(range(1, 5)).all().all()
    assert answers.stack().value_counts().idxmax() == 3
    assert srv["u4"].value_counts().idxmax() == 4
    named = srv["officer_nip"].dropna()
    assert named.isin(emp["nip"]).all() and len(named) > len(srv) / 2
    per_month = srv.dropna(subset=["officer_nip"]).groupby(
        ["officer_nip", srv["timestamp"].dt.month]).size()
    assert per_month.max() >= 5
    assert srv["education"].isin(["SD", "SMP", "SMA", "S1", "S2", "S3"]).all()
    assert srv["occupation"].isin(["PNS", "TNI", "POLRI", "SWASTA", "WIRAUSAHA", "Lainnya"]).all()
    assert srv["suggestion"].notna().any()
    assert srv["source"].value_counts().idxmax() == "Formulir"


def test_service_units_population(tabs):
    units = tabs["service_units"]
    assert set(units["service_unit"]) >= set(tabs["surveys"]["service_unit"])
    assert units["period"].str.fullmatch(rf"{YEAR}-\d\d").all()
    assert (units["population"] >= 1).all()


def test_same_seed_same_frames_other_seed_differs(tabs):
    again = demo_data()
    for name, frame in tabs.items():
        pd.testing.assert_frame_equal(frame, again[name])
    other = demo_data(seed=7)
    assert not other["employees"]["nip"].equals(tabs["employees"]["nip"])


def test_year_and_months_follow_the_arguments():
    tabs = demo_data(year=2025, months=3, surveys=30)
    assert set(tabs["realisations"]["month"]) == {"2025-01", "2025-02", "2025-03"}
    assert tabs["surveys"]["timestamp"].between("2025-01-01", "2025-04-01").all()


def test_sparse_behaviour_is_about_seven_rows_per_employee():
    tabs = demo_data(units=5, employees_per_unit=40, behaviour="sparse", surveys=0)
    per_employee = len(tabs["behaviours"]) / len(tabs["employees"])
    assert 6 <= per_employee <= 7.5
    assert tabs["surveys"].empty


def test_demo_settings_use_pengaturan_names_and_labels():
    settings = demo_settings(YEAR, "Pemerintah Kota Lhokseumawe")
    assert set(settings) <= set(SETTINGS.column_names)
    assert settings["year"] == YEAR and settings["org_name"] == "Pemerintah Kota Lhokseumawe"
    assert settings["org_predikat"] in SETTINGS.column("org_predikat").labels


@pytest.mark.parametrize("kwargs", [{"units": 0}, {"months": 13}, {"behaviour": "weekly"},
                                    {"indicators_per_employee": 6}, {"surveys": -1}])
def test_bad_arguments(kwargs):
    with pytest.raises(ValueError):
        demo_data(**kwargs)


def test_five_thousand_employees_quickly():
    start = time.perf_counter()
    tabs = demo_frames_for_scale(5_000)
    assert time.perf_counter() - start < 10
    emp, skp = tabs["employees"], tabs["indicators"]
    assert len(emp) == 5_000 and emp["nip"].is_unique
    assert len(skp) == 25_000 and skp["iki_code"].is_unique
    assert len(tabs["realisations"]) > 0.99 * 25_000 * 12
    assert len(tabs["surveys"]) == 25_000 and tabs["surveys"]["response_id"].is_unique
    sample = emp.sample(500, random_state=0)
    assert all(nip_problem(n, t) is None for n, t in zip(sample["nip"], sample["asn_type"], strict=True))
    assert np.isin(skp["nip"].unique(), emp["nip"]).all()


def test_surveys_hold_complaints_and_most_ikm_rows_reach_their_sample(tabs):
    """Answers of 1 are complaints (issue 16); 4,400 answers give most units an adequate sample."""
    from scoring.ikm_units import ikm_table
    from scoring.settings import Settings

    answers = tabs["surveys"][ITEMS]
    complaints = (answers <= 1).any(axis=1)
    assert 10 <= complaints.sum() <= 0.05 * len(answers)  # several a month, not most answers
    surveys = tabs["surveys"].assign(month=tabs["surveys"]["timestamp"].dt.month)
    table = ikm_table(surveys, tabs["service_units"], Settings(year=YEAR),
                      [f"{YEAR}-{m:02d}" for m in range(1, 13)])
    monthly = table.loc[table["scope"] == "period", "adequate"]
    assert monthly.mean() > 0.5


def test_the_supervisors_handled_most_complaints_and_left_a_few(tabs):
    from sync.demo.build import demo_complaints

    handled = demo_complaints(tabs["surveys"])
    answers = tabs["surveys"][ITEMS]
    assert set(handled["response_id"]) == set(tabs["surveys"].loc[(answers <= 1).any(axis=1), "response_id"])
    counts = handled["status"].value_counts()
    assert counts["Selesai"] > len(handled) / 2
    assert counts.get("Diproses", 0) > 0 and counts.get("Baru", 0) > 0
    done = handled.loc[handled["status"] == "Selesai"]
    assert done["finished_on"].notna().all() and done["action"].notna().all()
    fresh = handled.loc[handled["status"] == "Baru", ["action", "finished_on", "handled_by"]]
    assert fresh.isna().all().all()
    again = demo_complaints(tabs["surveys"])
    pd.testing.assert_frame_equal(handled, again)
