"""hep.illustrations: a picture for every built-in exercise, drawn from data/poses.json."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from flask.testing import FlaskClient

from hep.illustrations import illustration_url, render, slugs
from hep.library import builtin_exercises

SVG = "{http://www.w3.org/2000/svg}"
BUILT_INS = [e["slug"] for e in builtin_exercises()]


def test_every_built_in_exercise_has_an_illustration_and_nothing_else_does():
    assert sorted(BUILT_INS) == slugs()


@pytest.mark.parametrize("slug", BUILT_INS)
def test_each_illustration_is_an_svg_named_after_its_exercise(slug: str):
    names = {e["slug"]: e["name"] for e in builtin_exercises()}
    for still in (True, False):
        root = ET.fromstring(render(slug, still=still))
        assert root.tag == f"{SVG}svg"
        assert root.get("role") == "img"
        assert root.findtext(f"{SVG}title") == names[slug]
        # hep's own drawing: no scripts, no outside references, no embedded pictures
        tags = {element.tag.removeprefix(SVG) for element in root.iter()}
        assert not tags & {"script", "image", "foreignObject", "use", "a"}
        assert len(root.findall(f".//{SVG}path")) >= 5  # a whole figure


def test_a_still_picture_has_no_motion_and_a_moving_one_moves():
    moving = render("cat-camel")
    assert "<animate " in moving
    assert "<animate " not in render("cat-camel", still=True)
    # a held position has nothing to move between
    assert "<animate " not in render("desk-posture-check")


def test_the_illustration_is_served_cacheable_and_inert(client: FlaskClient):
    r = client.get("/illustrations/cat-camel.svg")
    assert r.status_code == 200
    assert r.mimetype == "image/svg+xml"
    assert "max-age" in r.headers["Cache-Control"]
    assert r.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert (
        client.get(r.request.path, headers={"If-None-Match": r.headers["ETag"]}).status_code == 304
    )
    assert client.get("/illustrations/not-an-exercise.svg").status_code == 404
    assert "<animate" not in client.get("/illustrations/cat-camel.svg?still=1").text


def test_exercises_name_their_illustration(client: FlaskClient, cast):
    from hep.models import Role

    therapist = cast.client(cast.user(Role.THERAPIST))
    found = therapist.get("/api/exercises?page_size=100").get_json()
    built_in = [e for e in found if e["built_in"]]
    assert built_in and all(
        e["illustration"] == f"/illustrations/{e['slug']}.svg" for e in built_in
    )
    assert illustration_url(type("Own", (), {"slug": None})()) is None
