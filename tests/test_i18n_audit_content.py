"""Fixes from the --lang vi audit (issue 16): content hints, SVG, deploy, YAML and the desk, through the real CLI.

Each case runs the command line on a real site in a tmp folder, in Vietnamese (and English where the English
wording changed), and checks that no English leaks into the Vietnamese output.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys

import pytest
from deploykit import start_server
from servekit import DeskClient, running_preview
from sitekit import ROOT, article, run_cli_in_process, write_site
from test_deploy import make_site

from newsroom import i18n
from newsroom.deploy.run import human_bytes
from newsroom.desk import Request


def _check(site, language: str = "vi") -> str:
    result = run_cli_in_process("check", "--site", str(site), "--lang", language)
    assert "Traceback" not in result.stderr
    return result.stderr


# 1. The "did you mean" hint names only the characters the eye cannot tell apart, in the editor's language.
def test_a_look_alike_dash_is_named_in_vietnamese(tmp_path):
    site = write_site(
        tmp_path / "site", {"2024/a.md": article("Tin", "Tin tức \u2013 Sự kiện")}, categories=["Tin tức - Sự kiện"]
    )
    vi = _check(site)
    assert "'–' (dấu gạch ngang dài)" in vi and "'-' (dấu gạch nối)" in vi
    assert "dash" not in vi and "hyphen" not in vi
    en = _check(site, "en")
    assert "'–' (en dash) where config.yaml has '-' (hyphen-minus)" in en


def test_an_accent_difference_stops_after_did_you_mean(tmp_path):
    site = write_site(tmp_path / "site", {"2024/a.md": article("Tin", "Thong bao")}, categories=["Thông báo"])
    vi = _check(site)
    assert "gợi ý: có phải ý bạn là 'Thông báo'?\n" in vi + "\n"
    assert "latin" not in vi and "bạn đã gõ" not in vi
    assert "did you mean 'Thông báo'?\n" in _check(site, "en") + "\n"


def test_a_large_difference_spells_nothing_out(tmp_path):
    site = write_site(tmp_path / "site", {"2024/a.md": article("Tin", "Tin tuc")}, categories=["Tin tức - Sự kiện"])
    vi = _check(site)
    assert "có phải ý bạn là 'Tin tức - Sự kiện'?" in vi
    assert "không có gì" not in vi and "latin" not in vi and "bạn đã gõ" not in vi


# 2. An SVG attribute is named in the sentence's language: no English "on" between its name and its element.
HOSTILE_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    '<rect width="5" height="5" onclick="alert(1)" data-x="1"/></svg>\n'
)


def test_a_refused_svg_attribute_is_placed_in_vietnamese(tmp_path):
    site = write_site(tmp_path / "site", {"2024/a.md": article("Tin", body="Mở đầu.\n\n![Hình](images/ve.svg)\n")})
    (site / "content/2024/images").mkdir(parents=True)
    (site / "content/2024/images/ve.svg").write_text(HOSTILE_SVG, encoding="utf-8")
    vi = _check(site)
    assert "'onclick' trong thẻ <rect>" in vi
    assert " on <" not in vi
    assert "'onclick' on <rect>" in _check(site, "en")


# 3. deploy --dry-run names its phases and sizes in the command's language.
def test_deploy_dry_run_names_phases_and_sizes_in_vietnamese(tmp_path):
    site = make_site(tmp_path / "site", None, articles=1, photos=1)
    done = run_cli_in_process("deploy", "--site", str(site), "--dry-run", "--lang", "vi")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "sẽ tải lên (tệp đi kèm): " in out and "sẽ tải lên (trang mới): " in out
    assert "(assets)" not in out and "(new pages)" not in out
    size = re.search(r"sẽ tải lên \d+ tệp \(([^)]*)\)", out).group(1)
    assert re.fullmatch(r"\d+,\d (KB|MB)", size), size
    english = run_cli_in_process("deploy", "--site", str(site), "--dry-run", "--no-build", "--lang", "en").stdout
    assert "  would upload (assets): " in english and "  would upload (new pages): " in english
    assert re.search(r"would upload \d+ files \(\d+\.\d (KB|MB)\)", english)


def test_a_size_under_a_kilobyte_is_in_bytes_of_each_language():
    vi, en = i18n.translator("vi"), i18n.translator("en")
    assert (vi(human_bytes(2)), en(human_bytes(2)), en(human_bytes(1))) == ("2 byte", "2 bytes", "1 byte")
    assert (vi(human_bytes(32666)), en(human_bytes(32666))) == ("31,9 KB", "31.9 KB")


# 4. A deploy that cannot log in because this computer holds no password, keys or remote says so.
def _deploy_without_secrets(site, tmp_path, server=None) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "NEWSROOM_DEPLOY"))}
    env.update(
        PYTHONPATH=str(ROOT),
        HOME=str(tmp_path),
        SSH_AUTH_SOCK="",
        AWS_EC2_METADATA_DISABLED="true",  # no request to a cloud's metadata address
        RCLONE_CONFIG=str(tmp_path / "rclone.conf"),
    )
    done = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "deploy", "--site", str(site), "--no-build", "--lang", "vi"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert (
        "gợi ý: hãy chạy lại lệnh deploy" not in done.stderr
    )  # not the "run deploy again" of a passing network hiccup
    return done.stderr


def _built_site(tmp_path, server):
    site = make_site(tmp_path / "site", server, articles=1, photos=0)
    assert run_cli_in_process("build", "--site", str(site)).returncode == 0
    return site


@pytest.mark.slow
def test_ftp_without_a_password_says_the_password_is_missing(tmp_path, request):
    server = start_server("ftp", tmp_path / "server")
    request.addfinalizer(server.stop)
    err = _deploy_without_secrets(_built_site(tmp_path, server), tmp_path)
    assert "NEWSROOM_DEPLOY_PASSWORD" in err and "mật khẩu" in err
    assert "obscured" not in err


def test_an_unknown_rclone_remote_says_to_set_it_up(tmp_path):
    site = write_site(
        tmp_path / "site", {"2024/a.md": article("Tin")}, deploy=[{"name": "web", "url": "rclone:nosuchremote:site"}]
    )
    assert run_cli_in_process("build", "--site", str(site)).returncode == 0
    err = _deploy_without_secrets(site, tmp_path)
    assert "'nosuchremote'" in err and "rclone config" in err
    assert "didn't find section" not in err


@pytest.mark.slow
def test_s3_without_keys_says_the_keys_are_missing(tmp_path, request):
    server = start_server("s3", tmp_path / "server")
    request.addfinalizer(server.stop)
    err = _deploy_without_secrets(_built_site(tmp_path, server), tmp_path)
    assert "AWS_ACCESS_KEY_ID" in err and "AWS_SECRET_ACCESS_KEY" in err
    assert "IMDS" not in err and "refused" not in err


# 5. A list left open by a comma at the end of the front matter is blamed on its '['.
def test_a_list_left_open_after_a_comma_names_the_bracket(tmp_path):
    text = article("Tin").replace("\n---\n", '\ntags: ["Dân vận khéo",\n---\n', 1)  # the last field
    site = write_site(tmp_path / "site", {"2024/a.md": text})
    vi = _check(site)
    assert "content/2024/a.md:6:7: lỗi: dòng này mở '[' nhưng chưa đóng bằng ']'" in vi, vi
    assert "node content" not in vi
    assert "content/2024/a.md:6:7: error: a '[' is opened on this line but never closed with ']'" in _check(site, "en")


# 6. A refused YAML tag is shown as the editor typed it.
def test_a_yaml_tag_is_shown_as_typed(tmp_path):
    text = article("Tin").replace("---\n", "---\nsummary: !!python/object/apply:os.system ['true']\n", 1)
    site = write_site(tmp_path / "site", {"2024/a.md": text})
    vi = _check(site)
    assert "không được dùng thẻ YAML '!!python/object/apply:os.system'" in vi, vi
    assert "tag:yaml.org" not in vi


# 7. The desk when the preview server is gone, and a request with a method the desk does not take.
@pytest.fixture
def desk_site(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSROOM_LANG", "vi")  # the desk speaks NEWSROOM_LANG (conftest sets en)
    return write_site(tmp_path / "site", {"2024/mot.md": article("Bài một", body="Nội dung một.")})


GONE = "Không kết nối được với máy chủ xem trước"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow
def test_the_desk_says_in_vietnamese_when_the_server_is_gone(desk_site, browser, tmp_path):
    port = _free_port()
    command = [sys.executable, str(ROOT / "build.py"), "serve", "--site", str(desk_site), "--port", str(port)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    serve = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")  # a browser in English
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    try:
        assert serve.stdout.readline()  # it is listening
        page.goto(f"http://127.0.0.1:{port}/_desk/#/edit?path=content%2F2024%2Fmot.md")
        page.wait_for_selector("textarea[name=body]")
        serve.send_signal(signal.SIGINT)  # the editor stops the preview (Ctrl-C) with the page still open
        serve.communicate(timeout=30)
        # save, upload and delete each say so instead of "Saving…" forever
        note = page.locator(".savebar .note.bad")
        page.fill("input[name=title]", "Bài một (sửa)")
        page.click("button[name=save]")
        note.wait_for(timeout=10_000)
        assert GONE in note.inner_text() and "Đang lưu" not in note.inner_text()
        page.evaluate("document.querySelector('.savebar .note').className = 'note'")
        picture = tmp_path / "anh.jpg"
        picture.write_bytes(b"\xff\xd8\xff\xe0 not really a photo")
        page.set_input_files("input[name=photo]", str(picture))
        note.wait_for(timeout=10_000)
        assert GONE in note.inner_text()
        page.evaluate("document.querySelector('.savebar .note').className = 'note'")
        page.click("button[name=delete]")
        note.wait_for(timeout=10_000)
        assert GONE in note.inner_text()
        page.evaluate("location.hash = '#/list'")
        failed = page.locator(".empty p")
        failed.wait_for(timeout=10_000)
        assert failed.inner_text().startswith("Không tải được: " + GONE)
        assert "Failed to fetch" not in page.inner_text("body")
    finally:
        context.close()
        if serve.poll() is None:
            serve.kill()
            serve.communicate()


def test_a_put_to_the_desk_api_is_a_json_405_in_the_desks_language(desk_site):
    with running_preview(desk_site) as preview:
        answer = preview.desk.handle(Request("PUT", "/_desk/api/save", {}, {}, b"{}"))
        assert answer.status == 405
        assert json.loads(answer.body) == {"error": "địa chỉ này của bàn biên tập không nhận yêu cầu PUT"}
        assert DeskClient(preview).api("GET", "save")[0] == 405


def test_a_put_over_http_is_a_json_405(desk_site):
    with running_preview(desk_site) as preview:
        status, answer = DeskClient(preview).api("PUT", "save", {})
        assert status == 405 and "PUT" in answer["error"]
