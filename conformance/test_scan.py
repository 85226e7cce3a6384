"""`junction scan` as a platform engineer runs it on a project: the binary, its exit statuses,
its formats, and a diff that `git apply` takes (C3, C4, C7)."""
import json
import re
import os
import shutil
import subprocess

import pytest

from conftest import BIN

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "Tests", "JunctionScanTests", "Fixtures")


def scan(*args, cwd):
    return subprocess.run([BIN, "scan", *args], cwd=cwd, capture_output=True, text=True, timeout=60)


@pytest.fixture
def project(tmp_path):
    """The fixture integrations as a git checkout, with a vendored SDK and an ignored folder."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURES, root)
    (root / "node_modules" / "stripe").mkdir(parents=True)
    (root / "node_modules" / "stripe" / "index.js").write_text("stripe.accounts.create({ type: 'express', country: 'US' });\n")
    (root / "legacy").mkdir()
    (root / "legacy" / "old.py").write_text('stripe.Account.create(type="custom", country="US")\n')
    (root / ".gitignore").write_text("legacy/\n")
    subprocess.run(["git", "init", "-q", "."], cwd=root, check=True)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    subprocess.run(["git", "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "fixtures"],
                   cwd=root, check=True)
    return root


def test_text_report_names_file_line_snippet_and_the_controller_form(project):
    result = scan(cwd=project)
    assert result.returncode == 1, result.stderr
    out = result.stdout
    assert "python/positive.py:6:34: creation: Account created with type express" in out
    assert '"stripe_dashboard": {"type": "express"}' in out
    assert "controller.requirement_collection" in out
    assert "application_express" in out  # C4: what type-created accounts report
    assert "node_modules" not in out and "legacy/old.py" not in out  # vendored, ignored
    assert not re.search(r"negative\.\w+:", out)
    assert out.rstrip().splitlines()[-1].endswith("files scanned.")


def test_json_lists_every_finding_with_kind_types_and_candidates(project):
    result = scan("--format", "json", cwd=project)
    assert result.returncode == 1
    document = json.loads(result.stdout)
    findings = document["findings"]
    kinds = {f["kind"] for f in findings}
    assert kinds == {"creation", "condition", "data"}
    languages = {f["language"] for f in findings}
    assert {"python", "ruby", "javascript", "typescript", "go", "java", "php", "csharp", "swift"} <= languages
    condition = next(f for f in findings if f["path"] == "python/positive.py" and f["line"] == 27)
    assert condition["candidates"][0]["property"] == "controller.stripe_dashboard.type"
    assert condition["candidates"][0]["values"] == {"standard": "full", "express": "express", "custom": "none"}
    assert document["files_scanned"] >= 21


def test_sarif_is_2_1_0_with_rules_and_locations(project):
    result = scan("--format", "sarif", cwd=project)
    log = json.loads(result.stdout)
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == [
        "junction/account-type-creation", "junction/account-type-condition", "junction/account-type-data"]
    first = run["results"][0]
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
    assert location["region"]["startLine"] >= 1
    assert {r["level"] for r in run["results"]} == {"warning", "note"}


def test_diff_applies_with_git_and_leaves_no_creation_it_could_rewrite(project):
    result = scan("--diff", cwd=project)
    assert result.returncode == 1
    patch = result.stdout
    assert patch.startswith("diff --git a/")
    assert "3 creation" in result.stderr  # run-time types and Swift stay findings
    subprocess.run(["git", "apply", "--check", "-"], input=patch, text=True, cwd=project, check=True)
    subprocess.run(["git", "apply", "-"], input=patch, text=True, cwd=project, check=True)
    after = json.loads(scan("--format", "json", cwd=project).stdout)["findings"]
    creations = [f for f in after if f["kind"] == "creation"]
    assert len(creations) == 3 and all(f.get("rewrite") is None for f in creations)


def test_exit_statuses(project, tmp_path):
    clean = tmp_path / "clean"
    clean.mkdir()
    (clean / "app.py").write_text('stripe.Customer.create(email="a@example.com")\n')
    assert scan(cwd=clean).returncode == 0
    assert scan("--exit-zero", cwd=project).returncode == 0
    assert scan("--format", "xml", cwd=project).returncode == 2
    assert scan("--unknown-flag", cwd=project).returncode == 2
    missing = scan("no/such/path", cwd=project)
    assert missing.returncode == 2 and "no/such/path" in missing.stderr
    # A file named on the command line is read even where .gitignore ignores it.
    assert "legacy/old.py:1:" in scan("legacy/old.py", cwd=project).stdout
