"""book/mathjax.py: the local MathJax 3 of the site, the PDF and the slides. Its download is tested
against a server on 127.0.0.1 with stand-in tarballs; its configuration in Chromium, on the copy
that `make book` put into the site."""

import hashlib
import io
import tarfile

import pytest

import mathjax
from artefacts import ROOT, require

SITE_COPY = ROOT / "_build" / "html" / "_static" / mathjax.FOLDER
COPY = f"mathjax-{mathjax.VERSION}"  # the copy's folder in the cache


def tarball(files):
    """The bytes of a .tgz holding {member name: text}."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


STAND_IN = {
    f"package/es5/{mathjax.SCRIPT}": "// the combined component",
    "package/es5/output/chtml/fonts/woff-v2/MathJax_Main-Regular.woff": "font",
    "package/es5/ui/menu.js": "// the menu",
    "package/es5/tex-svg.js": "// another component, not loaded",
    "package/es5/input/tex/extensions/physics.js": "// inside tex-chtml-full.js already",
    "package/LICENSE": "Apache License 2.0",
    "package/README.md": "readme",
}


def serve(file_server, data, name="mathjax.tgz"):
    file_server.files[f"/{name}"] = data
    return f"{file_server.url}/{name}"


def test_the_copy_keeps_what_the_pages_load_and_nothing_outside_es5():
    kept = {name: mathjax.kept_name(name) for name in [*STAND_IN, "package/es5/../../outside.js"]}
    assert kept == {
        f"package/es5/{mathjax.SCRIPT}": mathjax.SCRIPT,
        "package/es5/output/chtml/fonts/woff-v2/MathJax_Main-Regular.woff":
            "output/chtml/fonts/woff-v2/MathJax_Main-Regular.woff",
        "package/es5/ui/menu.js": "ui/menu.js",
        "package/es5/tex-svg.js": None,
        "package/es5/input/tex/extensions/physics.js": None,
        "package/LICENSE": "LICENSE",
        "package/README.md": None,
        "package/es5/../../outside.js": None,
    }


def test_mathjax_is_fetched_once_checked_and_unpacked(file_server, tmp_path):
    data = tarball(STAND_IN)
    url = serve(file_server, data)
    folder = mathjax.mathjax_dir(tmp_path, url, hashlib.sha512(data).hexdigest())
    assert folder == tmp_path / COPY / mathjax.FOLDER
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert files == sorted(name for name in map(mathjax.kept_name, STAND_IN) if name)
    assert (folder / mathjax.SCRIPT).read_text() == "// the combined component"
    assert mathjax.mathjax_dir(tmp_path, url, "not used: the copy is there") == folder
    assert file_server.requests == ["/mathjax.tgz"], "the copy is fetched once"


def test_a_download_that_does_not_match_its_sha512_is_refused_and_not_kept(file_server, tmp_path):
    url = serve(file_server, tarball(STAND_IN))
    with pytest.raises(SystemExit, match="does not match its SHA-512, so it was not kept"):
        mathjax.mathjax_dir(tmp_path, url, hashlib.sha512(b"another file").hexdigest())
    assert list(tmp_path.iterdir()) == [], "nothing is kept in the cache"


def test_an_unreachable_download_says_where_it_comes_from_and_what_to_do(file_server, tmp_path):
    url = f"{file_server.url}/missing.tgz"  # the server answers 404
    with pytest.raises(SystemExit) as error:
        mathjax.mathjax_dir(tmp_path, url, "0" * 128)
    message = str(error.value)
    assert f"{url}: HTTP 404" in message
    assert f"put the registry's mathjax-{mathjax.VERSION}.tgz into that folder" in message
    assert str(tmp_path) in message


@pytest.mark.parametrize("url, words", [("foo://registry/mathjax.tgz", "Unrecognized URL protocol"),
                                        ("http://", "InvalidURL: Invalid URL 'http://'")])
def test_a_url_that_cannot_be_fetched_is_named_as_such(tmp_path, url, words):
    """Some of requests' errors are ValueErrors, as pooch's hash check is: each says what it is."""
    with pytest.raises(SystemExit) as error:
        mathjax.mathjax_dir(tmp_path, url, "0" * 128)
    assert words in str(error.value) and "the file downloaded does not match" not in str(error.value)


def test_a_tarball_without_the_component_is_refused(file_server, tmp_path):
    data = tarball({"package/es5/tex-svg.js": "// not the one the pages load"})
    url = serve(file_server, data)
    with pytest.raises(SystemExit, match=f"holds no es5/{mathjax.SCRIPT}"):
        mathjax.mathjax_dir(tmp_path, url, hashlib.sha512(data).hexdigest())
    assert sorted(p.name for p in tmp_path.iterdir()) == [COPY, f"{COPY}.tgz"], "no staging left"
    assert list((tmp_path / COPY).iterdir()) == [], "nothing unpacked where the site copies from"


def test_a_second_unpacking_leaves_the_first_copy_whole(tmp_path):
    """Two builds at once may both unpack: the second finds the copy in place and keeps it."""
    path = tmp_path / "mathjax.tgz"
    path.write_bytes(tarball(STAND_IN))
    folder = tmp_path / COPY / mathjax.FOLDER
    mathjax.extract(path, folder)
    (folder / "ui" / "menu.js").write_text("// the first copy")
    mathjax.extract(path, folder)
    assert (folder / "ui" / "menu.js").read_text() == "// the first copy"
    assert sorted(p.name for p in tmp_path.iterdir()) == [COPY, "mathjax.tgz"], "no staging left"
    assert [p.name for p in folder.parent.iterdir()] == [mathjax.FOLDER]


def test_formulas_are_typeset_and_tex_errors_show_as_error_boxes(chromium, tmp_path):
    """The pages' configuration on MathJax itself: what the browser tests count is what they
    mean, a formula typeset or an error (an unknown macro, a double exponent)."""
    require(ROOT / "_build" / "html" / ".built", "book")
    page_path = tmp_path / "page.html"
    page_path.write_text(
        f"<!doctype html><html><head><meta charset='utf-8'>"
        f"{mathjax.page_scripts(SITE_COPY.as_uri())}</head><body>"
        r"<p>Fine: $\sigma(z) = \frac{1}{1 + e^{-z}}$ and \(\hat y - y\).</p>"
        r"<p>Unknown: $\notamacro{x}$. Double: $x^2^3$. Escaped: \$5.</p>"
        "<pre>$not math in code$</pre></body></html>")
    page = chromium.new_page()
    page.goto(page_path.as_uri(), wait_until="load")
    page.wait_for_function(mathjax.TYPESET, timeout=30_000)
    formulas = page.locator("mjx-container").count()
    errors = page.locator("mjx-merror").count()
    code = page.locator("pre").inner_text()
    page.close()
    assert (formulas, errors) == (4, 2)
    assert code == "$not math in code$"
