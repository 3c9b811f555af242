"""Malformed, hostile and oversized input to every local write endpoint: a clear 4xx in the one
error shape, and nothing changed."""

from __future__ import annotations

from typing import Any

import pytest

from tests.local.world import World, dump, profile_body, sortiment_body

PROFILES = "/api/v1/classifications/own-plan/profiles"
BIG = "x" * (70 * 1024)  # over the 64 KiB test limit


def assert_refused(
    w: World, method: str, path: str, status: int, who: str = "admin", **kw: Any
) -> dict[str, Any]:
    before = dump(w.kodeks.engine)
    r = w.send(method, path, who, **kw)
    assert r.status_code == status, (r.status_code, r.text)
    body = r.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    assert dump(w.kodeks.engine) == before, "a refused request changed something"
    assert w.tokens[who] not in r.text
    return body["error"]  # type: ignore[no-any-return]


WRITES = [
    ("PUT", "/api/v1/classifications/own-plan/reserved-ranges"),
    ("POST", PROFILES),
    ("PUT", f"{PROFILES}/p"),
    ("POST", "/api/v1/sortiments"),
    ("PUT", "/api/v1/sortiments/s"),
    ("POST", "/api/v1/webhooks"),
    ("POST", "/api/v1/correspondences/c/invert"),
]


@pytest.mark.parametrize("method, path", WRITES)
def test_malformed_json_and_oversized_bodies(w: World, method: str, path: str) -> None:
    err = assert_refused(
        w, method, path, 400, content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert err["code"] == "invalid_request"
    assert_refused(w, method, path, 400, json=["a", "list"])
    assert_refused(w, method, path, 400, json={"unknown_field": 1})
    err = assert_refused(
        w, method, path, 413, content=BIG.encode(), headers={"Content-Type": "application/json"}
    )
    assert err["code"] == "input_too_large"
    assert_refused(
        w,
        method,
        path,
        400,
        content=b"{}",
        headers={"Content-Type": "application/json", "Content-Length": "abc"},
    )


@pytest.mark.parametrize(
    "change, fragment",
    [
        ({"selections": [{"code": '=HYPERLINK("http://x")'}]}, "not a code"),
        ({"selections": [{"code": "10 01"}]}, "not a code"),
        ({"selections": [{"code": "10\u0000"}]}, "not a code"),
        ({"selections": [{"code": "a" * 65}]}, "at most 64"),
        ({"titles": {"da": "x\u0007"}}, "control characters"),
        ({"titles": {"<script>": "x"}}, "not a language tag"),
        ({"owner": "999"}, "not a Danish municipality code"),
        ({"owner": "../../etc"}, "neither a municipality code"),
        ({"id": "../etc"}, "should match pattern"),
        (
            {"local_codes": [{"code": "10.01.50", "parent": "10.01", "titles": {"da": "x"}}]},
            "outside the reserved",
        ),
        (
            {"local_codes": [{"code": "10.01.90", "parent": "99", "titles": {"da": "x"}}]},
            "not a code of own-plan",
        ),
        (
            {
                "local_codes": [
                    {
                        "code": "10.01.90",
                        "parent": "10.01",
                        "titles": {"da": "x"},
                        "valid_from": "2020-01-01",
                        "valid_to": "2019-01-01",
                    }
                ]
            },
            "valid_to is before valid_from",
        ),
        ({"selections": [{"code": "10"}] * 2}, "twice"),
        ({"selections": [{"code": "10"}] * 50_001}, "413"),
    ],
)
def test_hostile_profiles(w: World, change: dict[str, Any], fragment: str) -> None:
    status = 413 if fragment == "413" else 400
    err = assert_refused(w, "POST", PROFILES, status, json={**profile_body("p"), **change})
    if status == 400:
        assert fragment in err["message"] or fragment in str(err["details"]), err


@pytest.mark.parametrize(
    "change, fragment",
    [
        ({"entries": [{"classification": "own-plan", "code": "=1+1"}]}, "not a code"),
        ({"entries": [{"classification": "own-plan", "code": "10", "rank": -1}]}, "greater than or equal"),
        ({"entries": [{"classification": "own-plan", "code": "10", "label": ""}]}, "at least 1"),
        ({"entries": [{"classification": "Own Plan", "code": "10"}]}, "should match pattern"),
        ({"entries": [{"classification": "own-plan", "code": "10"}] * 2}, "listed twice"),
        ({"valid_from": "not a date"}, "valid date"),
    ],
)
def test_hostile_sortiments(w: World, change: dict[str, Any], fragment: str) -> None:
    err = assert_refused(w, "POST", "/api/v1/sortiments", 400, json={**sortiment_body("s"), **change})
    assert fragment in err["message"] or fragment in str(err["details"]), err


def test_bad_ranges_and_webhooks(w: World) -> None:
    url = "/api/v1/classifications/own-plan/reserved-ranges"
    assert_refused(w, "PUT", url, 400, json={"ranges": [{"level": 3, "low": 5, "high": 150}]})
    assert_refused(
        w, "PUT", url, 400, json={"ranges": [{"level": 3, "low": 90, "high": 99, "separator": "a"}]}
    )
    assert_refused(w, "PUT", url, 400, json={"ranges": [{"level": 3, "low": 90, "high": 99}] * 2})
    assert_refused(w, "PUT", url, 400, json={"ranges": [{"level": 0, "low": 1, "high": 2}]})
    hooks = "/api/v1/webhooks"
    assert_refused(w, "POST", hooks, 400, json={"url": "http://127.0.0.1:9/x"})
    assert_refused(
        w,
        "POST",
        hooks,
        400,
        json={"url": "http://127.0.0.1:9/x", "classification": "own-plan", "sortiment": "s"},
    )
    assert_refused(w, "POST", hooks, 404, json={"url": "http://127.0.0.1:9/x", "sortiment": "nope"})
    assert_refused(
        w,
        "POST",
        hooks,
        404,
        json={"url": "http://127.0.0.1:9/x", "profile": {"classification": "own-plan", "profile": "nope"}},
    )
    assert_refused(w, "POST", hooks, 400, json={"url": "javascript:alert(1)", "classification": "own-plan"})
    assert_refused(
        w, "POST", hooks, 400, json={"url": "http://127.0.0.1:9/" + "a" * 2000, "classification": "own-plan"}
    )


CSV = "/api/v1/correspondences"


def upload(w: World, status: int, data: bytes, who: str = "admin", **params: str) -> dict[str, Any]:
    query = {
        k: v
        for k, v in {
            "id": "c",
            "owner": "751",
            "filename": "table.csv",
            "source": "x",
            "target": "y",
            **params,
        }.items()
        if v
    }
    return assert_refused(w, "POST", CSV, status, who, content=data, params=query)


@pytest.mark.parametrize(
    "data, fmt, where, fragment",
    [
        (b"source,target\n1,A\n2,\x00B\n", "pairs", None, "NUL bytes"),
        (b"source,target\n1,A\n\x81\x8d,B\n", "pairs", "line 3", "neither UTF-8 nor Windows-1252"),
        (b"source,target\n1,A\n2,B,C\n", "pairs", "line 3", "expected 2 fields"),
        (b"source,target\n1,A\n=cmd|'/c calc'!A0,B\n", "pairs", "line 3", "not a code"),
        (b"source,target\n1,A\n<script>,B\n", "pairs", "line 3", "not a code"),
        (b'source,target\n1,"A\n', "pairs", "line 2", "not valid delimited text"),
        (b"source,target\n1," + b"A" * 20_000 + b"\n", "pairs", "line 2", "longer than 10,000"),
        (b"nope,nothing\n1,2\n", "pairs", "line 1", "expected a header"),
        (b"", "pairs", "line 1", "expected a header"),
        (b"source,target\n", "pairs", None, "no mappings"),
        (b"source,target,partial\n1,A,maybe\n", "pairs", "line 2", "partial must be"),
        (b"FORMNummer;KLE nummer\n02;\n", "kle-form", "line 1", "'KLE nummer' is not a code"),
        (b"FORMNummer;KLE nummer\n02;1;2\n", "form-kle", "line 2", "expected 2 fields"),
        (b"formatted_nace\tISIC\n01\t1\n", "nace-isic", "line 2", "Source<TAB>Target"),
        (b"isco88_code,isco08_code\n1,2\n", "isco88-isco08", "line 1", "isco08_part"),
        (
            b"isco88_code,isco08_code,isco08_part\n1110,1111,x\n",
            "isco88-isco08",
            "line 2",
            "must be empty or 'p'",
        ),
    ],
)
def test_bad_correspondence_files_name_file_and_line(
    w: World, data: bytes, fmt: str, where: str | None, fragment: str
) -> None:
    err = upload(w, 422, data, format=fmt)
    assert err["message"].startswith("table.csv: " + (f"{where}: " if where else ""))
    assert fragment in err["message"], err["message"]
    assert err["details"]["source"] == "table.csv"


def test_other_bad_correspondence_requests(w: World) -> None:
    err = upload(w, 413, b"source,target\n" + b"1,A\n" * 20_000)
    assert err["code"] == "input_too_large"
    assert upload(w, 415, b"what is this\n")["code"] == "unknown_format"
    assert upload(w, 415, b"source,target\n1,A\n", format="nope")["code"] == "unknown_format"
    assert "source and target" in upload(w, 400, b"source,target\n1,A\n", source="", target="")["message"]
    assert_refused(
        w, "POST", CSV, 400, content=b"source,target\n1,A\n", params={"id": "Bad Id", "owner": "751"}
    )
    assert_refused(w, "POST", CSV, 400, content=b"source,target\n1,A\n", params={"owner": "751"})
    upload(w, 400, b"source,target\n1,A\n", valid_from="2020-01-01", valid_to="2019-01-01")
