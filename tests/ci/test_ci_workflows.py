"""The GitHub Actions workflows: valid, clean under zizmor, pinned and least-privileged."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
BIN = Path(sys.executable).parent
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$")


def tool(name: str, *args: str) -> subprocess.CompletedProcess[str]:
    exe = BIN / name
    if not exe.exists():
        pytest.skip(f"{name} is not installed in {BIN}")
    return subprocess.run(
        [str(exe), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def triggers(workflow: dict[Any, Any]) -> dict[str, Any]:
    on = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as True
    assert isinstance(on, dict)
    return on


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def by_trigger(name: str) -> dict[str, Any]:
    found = [load(p) for p in WORKFLOWS if name in triggers(load(p))]
    assert len(found) == 1, f"expected one workflow on {name}"
    return found[0]


def test_there_are_workflows() -> None:
    assert {p.name for p in WORKFLOWS} >= {"pages.yml", "pull-request.yml"}


def test_workflows_match_the_schema() -> None:
    proc = tool(
        "check-jsonschema",
        "--builtin-schema",
        "vendor.github-workflows",
        *map(str, WORKFLOWS),
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_dependabot_matches_the_schema() -> None:
    config = ROOT / ".github" / "dependabot.yml"
    proc = tool("check-jsonschema", "--builtin-schema", "vendor.dependabot", str(config))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    ecosystems = {u["package-ecosystem"] for u in load(config)["updates"]}
    assert ecosystems == {"pip", "github-actions"}


def test_zizmor_finds_nothing() -> None:
    proc = tool("zizmor", "--offline", "--format", "json", ".github/workflows")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert json.loads(proc.stdout) == []


def test_every_action_is_pinned_to_a_commit() -> None:
    uses = [s["uses"] for w in map(load, WORKFLOWS) for s in steps(w) if "uses" in s]
    assert uses
    lines = [
        line.split("uses:", 1)[1].strip()
        for path in WORKFLOWS
        for line in path.read_text(encoding="utf-8").splitlines()
        if "uses:" in line
    ]
    assert len(lines) == len(uses)
    assert [line for line in lines if not PINNED.match(line)] == []


def test_no_expression_inside_a_run_script() -> None:
    runs = [s["run"] for w in map(load, WORKFLOWS) for s in steps(w) if "run" in s]
    assert runs
    assert [r for r in runs if "${{" in r] == []


def test_checkout_does_not_keep_credentials() -> None:
    for workflow in map(load, WORKFLOWS):
        for step in steps(workflow):
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False


def test_least_privilege() -> None:
    for workflow in map(load, WORKFLOWS):
        assert workflow["permissions"] == {"contents": "read"}
        for name, job in workflow["jobs"].items():
            granted = job.get("permissions", {})
            if granted:
                assert name == "deploy"
                assert granted == {"pages": "write", "id-token": "write"}


def test_python_311_with_pip_cache() -> None:
    for workflow in map(load, WORKFLOWS):
        for step in steps(workflow):
            if step.get("uses", "").startswith("actions/setup-python@"):
                assert step["with"] == {
                    "python-version": "3.11",
                    "cache": "pip",
                    "cache-dependency-path": "requirements.txt",
                }


def test_push_to_main_tests_builds_and_deploys() -> None:
    workflow = by_trigger("push")
    assert triggers(workflow)["push"]["branches"] == ["main"]
    assert workflow["concurrency"]["cancel-in-progress"] is False
    runs = [s.get("run", "") for s in steps(workflow)]
    assert runs.index("bash scripts/test.sh") < runs.index("bash scripts/build.sh")
    actions = [s["uses"].split("@")[0] for s in steps(workflow) if "uses" in s]
    for name in ("upload-pages-artifact", "configure-pages", "deploy-pages"):
        assert f"actions/{name}" in actions
    upload = next(s for s in steps(workflow) if "upload-pages-artifact" in s.get("uses", ""))
    assert upload["with"]["path"] == "site"


def test_pull_request_checks_documents_without_deploying() -> None:
    workflow = by_trigger("pull_request")
    text = "\n".join(s.get("run", "") for s in steps(workflow))
    for command in (
        "bash scripts/test.sh",
        "bash scripts/build.sh",
        "scripts/ci/pr_report.py --base",
        "scripts/ci/datapackage_fresh.py",
    ):
        assert command in text
    actions = [s["uses"].split("@")[0] for s in steps(workflow) if "uses" in s]
    assert "actions/deploy-pages" not in actions
    assert "actions/upload-artifact" in actions
    for script in re.findall(r"scripts/ci/[\w.]+", text):
        assert (ROOT / script).is_file(), script


def test_the_parse_stage_runs_as_a_matrix_and_one_job_assembles() -> None:
    """Issue 11: the documents are parsed in shards on several machines, each shard's parse cache
    kept between runs under a key holding the parser's version; one job gathers the shards'
    results, builds and is the one the deployment takes the site from."""
    workflow = by_trigger("push")
    jobs = workflow["jobs"]
    parse = jobs["parse"]
    shards = parse["strategy"]["matrix"]["shard"]
    assert shards == list(range(len(shards))) and len(shards) >= 2
    parse_steps = parse["steps"]
    version = next(s for s in parse_steps if s.get("id") == "parser")
    assert "scripts/ci/parser_version.py" in version["run"] and "$GITHUB_OUTPUT" in version["run"]
    cache = next(s for s in parse_steps if s.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["path"] == ".cache/parse"
    assert cache["with"]["key"].startswith("parse-${{ steps.parser.outputs.version }}-shard-${{ matrix.shard }}-")
    assert cache["with"]["restore-keys"] == "parse-${{ steps.parser.outputs.version }}-shard-${{ matrix.shard }}-"
    run = next(s for s in parse_steps if "scripts/parse-shard.sh" in s.get("run", ""))
    assert run["env"]["SHARD"] == "${{ matrix.shard }}"
    assert run["run"] == f'bash scripts/parse-shard.sh "$SHARD/{len(shards)}"'
    assert parse_steps.index(cache) < parse_steps.index(run)
    upload = next(s for s in parse_steps if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == ".cache/parse" and upload["with"]["name"] == "parse-shard-${{ matrix.shard }}"

    build = jobs["build"]
    assert set(build["needs"]) == {"test", "parse"}
    assert jobs["deploy"]["needs"] == "build"
    gather = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/download-artifact@"))
    assert gather["with"] == {"pattern": "parse-shard-*", "merge-multiple": True, "path": ".cache/parse"}
    assemble = next(s for s in build["steps"] if s.get("run") == "bash scripts/build.sh")
    assert assemble["env"]["YIBAO_CACHE"] == ".cache/parse"
    assert build["steps"].index(gather) < build["steps"].index(assemble)
    script = (ROOT / "scripts" / "parse-shard.sh").read_text(encoding="utf-8")
    assert 'build.py parse --cache "${YIBAO_CACHE:-.cache/parse}" --shard "$1"' in script
