"""Each chart check rule, the lock digest against Helm's, and run_checks on real git history."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from release_actions.chart.lint.check_report import check_summary_markdown, report_checks
from release_actions.chart.lint.checks import (
    CheckConfig,
    read_chart_sources,
    run_checks,
    with_dependency_builds,
)
from release_actions.chart.lint.policies import check_app_version, check_tag, check_values
from release_actions.chart.lint.rules import (
    check_metadata,
    check_unique_names,
    check_unpublished,
    check_version_bump,
)
from release_actions.chart.lint.values import ValuesCheck, parse_values_check
from release_actions.chart.loader.chart_file import ChartFile, parse_chart
from release_actions.chart.loader.findings import RULES, Finding
from release_actions.chart.loader.helm_json import go_json, go_value
from release_actions.chart.loader.helm_json import node_go_string as go_string
from release_actions.chart.loader.yaml_source import find_entry, parse_yaml
from release_actions.chart.package.dependencies import (
    check_dependencies,
    dependency_list,
    helm_lock_digest,
)
from release_actions.errors import ChecksFailed, GitError, SourceLocation, UsageError
from release_actions.runner import Runner
from release_actions.versions import TagTemplate
from support.git_repos import GitProject, WorkingCopy
from support.git_repos import write_files as write

DEFAULT_TEMPLATE = TagTemplate("{name}-{version}")


def chart(text: str, directory: str = "charts/demo") -> ChartFile:
    loaded, findings = parse_chart(
        text.encode("utf-8"), directory=Path(directory), display_path=f"{directory}/Chart.yaml"
    )
    assert loaded is not None, findings
    return loaded


def v2(version: str = "1.0.0", extra: str = "", name: str = "demo") -> str:
    return f"apiVersion: v2\nname: {name}\nversion: {version}\n{extra}"


def rules_of(findings: list[Finding]) -> list[str]:
    return [finding.rule for finding in findings]


# -- Chart.yaml rules ------------------------------------------------------------------------


def test_a_good_chart_has_no_findings() -> None:
    assert check_metadata(chart(v2(extra="type: library\nappVersion: v1\n"))) == []


@pytest.mark.parametrize(
    ("text", "rule", "line", "words"),
    [
        ("name: demo\nversion: 1.0.0\n", "api-version", 1, "apiVersion is required"),
        ("apiVersion: v3\nname: demo\nversion: 1.0.0\n", "api-version", 1, "not 'v3'"),
        ("apiVersion: 2\nname: demo\nversion: 1.0.0\n", "api-version", 1, "not '2'"),
        ("apiVersion: v2\nname: My_Chart\nversion: 1.0.0\n", "chart-name", 2, "^[a-z0-9-]+$"),
        ("apiVersion: v2\nname: demo\nversion: '2.3'\n", "version-semver", 3, "did you mean 2.3.0"),
        (
            "apiVersion: v2\nname: demo\nversion: v1.2.3\n",
            "version-semver",
            3,
            "drop the leading v",
        ),
        (
            "apiVersion: v2\nname: demo\nversion: 1.2.3-01\n",
            "version-semver",
            3,
            "not strict SemVer",
        ),
        ("apiVersion: v2\nname: demo\nversion: 1.0.0\ntype: app\n", "chart-type", 4, "not 'app'"),
        ("apiVersion: v1\nname: demo\nversion: 1.0.0\ntype: application\n", "chart-type", 4, "v2"),
    ],
)
def test_chart_yaml_rules(text: str, rule: str, line: int, words: str) -> None:
    findings = check_metadata(chart(text))
    assert rules_of(findings) == [rule]
    assert findings[0].location.line == line
    assert words in findings[0].message
    assert findings[0].chart == "charts/demo"


def test_every_rule_id_is_documented() -> None:
    with pytest.raises(ValueError, match="unknown rule"):
        Finding("no-such-rule", "x", SourceLocation("f"))
    assert "version-bump" in RULES and "chart-lock" in RULES


# -- dependencies ----------------------------------------------------------------------------


def sources_findings(root: Path, directory: str = "charts/app") -> list[Finding]:
    sources = read_chart_sources(root, directory)
    assert sources.chart is not None, sources.chart_findings
    return check_dependencies(sources.chart, sources.dependencies)


CHILD = {"charts/child/Chart.yaml": v2("0.3.1", name="child")}


def test_dependencies_in_a_v1_chart_yaml_are_an_error(tmp_path: Path) -> None:
    text = "apiVersion: v1\nname: app\nversion: 1.0.0\ndependencies:\n  - name: x\n"
    write(tmp_path, {"charts/app/Chart.yaml": text})
    findings = sources_findings(tmp_path)
    assert rules_of(findings) == ["dependencies-v1"]
    assert findings[0].location == SourceLocation("charts/app/Chart.yaml", 4, 1)
    assert "requirements.yaml" in findings[0].message


def test_requirements_yaml_with_v2_is_a_warning(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "charts/app/Chart.yaml": v2(name="app"),
            "charts/app/requirements.yaml": "dependencies: []\n",
        },
    )
    findings = sources_findings(tmp_path)
    assert [(f.rule, f.severity) for f in findings] == [("dependencies-v1", "warning")]


@pytest.mark.parametrize(
    ("repository", "reason"),
    [
        ("file://../missing", "does not exist"),
        ("file://../empty", "is a directory without a Chart.yaml"),
        ("file://../afile.tgz", "is a file, not a chart directory"),
    ],
)
def test_a_file_dependency_must_point_at_a_chart(
    tmp_path: Path, repository: str, reason: str
) -> None:
    deps = f"dependencies:\n  - name: child\n    version: 0.3.1\n    repository: {repository}\n"
    write(tmp_path, {"charts/app/Chart.yaml": v2(name="app", extra=deps), "charts/afile.tgz": "x"})
    (tmp_path / "charts/empty").mkdir()
    findings = sources_findings(tmp_path)
    assert rules_of(findings) == ["dependency-path"]
    assert findings[0].location == SourceLocation("charts/app/Chart.yaml", 7, 17)
    assert reason in findings[0].message


def test_a_file_dependency_on_a_chart_is_fine(tmp_path: Path) -> None:
    deps = "dependencies:\n  - name: child\n    version: 0.3.1\n    repository: file://../child\n"
    write(tmp_path, {"charts/app/Chart.yaml": v2(name="app", extra=deps), **CHILD})
    assert sources_findings(tmp_path) == []


@pytest.mark.parametrize(
    ("raw", "as_string", "as_json"),
    [  # what Helm made of each, read off digests it wrote
        ("1.10", "1.1", "1.1"),
        ("010", "8", "8"),
        ("y", "true", "true"),
        ("On", "true", "true"),
        ("1e3", "1000", "1000"),
        ("0x1F", "31", "31"),
        ("1e6", "1e+06", "1000000"),
        ("1234567.5", "1.2345675e+06", "1234567.5"),
        ("0.00001", "1e-05", "0.00001"),
        ("2024-01-01", "2024-01-01", '"2024-01-01"'),
        ("'1.10'", "1.10", '"1.10"'),
        ("!!str 1.10", "1.10", '"1.10"'),
        ("~", "", "null"),
        ("a<b>&c", "a<b>&c", '"a\\u003cb\\u003e\\u0026c"'),
        # A string field gets a float rounded to 32 bits; an interface{} gets JSON's float64,
        # which every number becomes on its way through sigs.k8s.io/yaml.
        ("0.1234567891", "0.12345679", "0.1234567891"),
        ("1e39", "+Inf", "1e+39"),
        ("1e-7", "1e-07", "1e-7"),
        ("1e21", "1e+21", "1e+21"),
        ("-0.0", "-0", "-0"),
        ("0B11", "3", "3"),
        ("99999999999999999999", "1e+20", "100000000000000000000"),
        ("18446744073709551615", "18446744073709551615", "18446744073709552000"),
        ("!!bool yes", "true", "true"),
    ],
)
def test_scalars_read_as_helm_reads_them(raw: str, as_string: str, as_json: str) -> None:
    root = parse_yaml(f"k: {raw}\n".encode()).root
    entry = find_entry(root, "k")
    assert entry is not None
    assert go_string(entry[1]) == as_string
    assert go_json(go_value(entry[1])) == as_json


# Dependencies whose lock Helm itself writes (no network: file:// repositories only).
HELM_DEPENDENCIES = [
    "  - name: child\n    version: 0.3.1\n    repository: file://../child\n",
    "  - name: child\n    version: '>=0.1.0 <1.0.0'\n    repository: \"file://../child\"\n"
    "    condition: child.enabled\n    tags: [a, b]\n"
    "    import-values:\n      - data\n      - child: z.b\n        parent: y\n",
    "  - name: child\n    version: ~0.3.0\n    repository: file://../child\n    alias: kid\n"
    "    enabled: true\n    import-values: [{parent: p, child: 1.10}]\n",
    "  - name: child\n    version: 0.3.1\n    repository: file://../child\n    condition: On\n"
    "  - name: other\n    version: ^1\n    repository: file://../other\n    tags: [x & y, <z>]\n",
    "  - name: child\n    version: 0.3.1\n    repository: file://../child\n"
    "    condition: 0.1234567891\n"
    '    tags: [0B11, -0.0, 1e39, !!bool yes, "a\\x1cb\\u2028c"]\n'
    "    import-values: [{child: 99999999999999999999, parent: -0.0, 1e39: k}, 1e39,"
    " 0.1234567891, 9007199254740993, 18446744073709551615, 1e-7, 1e21]\n",
]


@pytest.mark.parametrize("dependencies", HELM_DEPENDENCIES)
def test_our_lock_digest_is_the_one_helm_writes(tmp_path: Path, dependencies: str) -> None:
    helm = pytest.importorskip("helm_python")
    write(
        tmp_path,
        {
            "charts/app/Chart.yaml": v2(name="app", extra="dependencies:\n" + dependencies),
            "charts/other/Chart.yaml": v2("1.0.0", name="other"),
            **CHILD,
        },
    )
    helm.dependency_update(tmp_path / "charts/app")
    lock = parse_yaml((tmp_path / "charts/app/Chart.lock").read_bytes())
    declared = dependency_list(parse_yaml((tmp_path / "charts/app/Chart.yaml").read_bytes()).root)
    assert helm_lock_digest(declared, dependency_list(lock.root)) == lock.data["digest"]
    assert sources_findings(tmp_path) == []


def locked_app(tmp_path: Path, chart_deps: str, lock: str) -> None:
    write(
        tmp_path,
        {
            "charts/app/Chart.yaml": v2(name="app", extra="dependencies:\n" + chart_deps),
            "charts/app/Chart.lock": lock,
            "charts/other/Chart.yaml": v2("1.0.0", name="other"),
            **CHILD,
        },
    )


def digest_for(chart_deps: str, lock_deps: str) -> str:
    declared = dependency_list(parse_yaml(("dependencies:\n" + chart_deps).encode()).root)
    locked = dependency_list(parse_yaml(("dependencies:\n" + lock_deps).encode()).root)
    return helm_lock_digest(declared, locked)


REMOTE = "  - name: redis\n    version: 17.3.7\n    repository: https://charts.example.com\n"
REMOTE_LOCK = "- name: redis\n  repository: https://charts.example.com\n  version: 17.3.7\n"


def test_a_lock_in_sync_passes(tmp_path: Path) -> None:
    lock = f"dependencies:\n{REMOTE_LOCK}digest: {digest_for(REMOTE, REMOTE_LOCK)}\ngenerated: x\n"
    locked_app(tmp_path, REMOTE, lock)
    assert sources_findings(tmp_path) == []


def test_a_changed_constraint_makes_the_digest_differ(tmp_path: Path) -> None:
    ranged = REMOTE.replace("17.3.7", "~17.3.0")
    lock = f"dependencies:\n{REMOTE_LOCK}digest: {digest_for(REMOTE, REMOTE_LOCK)}\ngenerated: x\n"
    locked_app(tmp_path, ranged, lock)
    findings = sources_findings(tmp_path)
    assert rules_of(findings) == ["chart-lock"]
    assert findings[0].location == SourceLocation("charts/app/Chart.lock", 5, 9)
    assert "out of sync" in findings[0].message and "helm dependency update" in findings[0].message


def test_a_pinned_version_that_differs_from_the_lock_is_named(tmp_path: Path) -> None:
    bumped = REMOTE.replace("17.3.7", "17.4.0")
    lock = f"dependencies:\n{REMOTE_LOCK}digest: sha256:0\n"
    locked_app(tmp_path, bumped, lock)
    findings = sources_findings(tmp_path)
    assert [(f.rule, f.location.line) for f in findings] == [("chart-lock", 6)]
    assert "pinned to 17.4.0, but Chart.lock locks 17.3.7" in findings[0].message


def test_a_dependency_missing_from_the_lock_and_a_stale_one(tmp_path: Path) -> None:
    deps = "  - name: child\n    version: 0.3.1\n    repository: file://../child\n"
    lock = f"dependencies:\n{REMOTE_LOCK}digest: sha256:0\n"
    locked_app(tmp_path, deps, lock)
    findings = sources_findings(tmp_path)
    assert [(f.location.file, f.location.line) for f in findings] == [
        ("charts/app/Chart.yaml", 5),
        ("charts/app/Chart.lock", 2),
    ]
    assert "child is not in Chart.lock" in findings[0].message
    assert "still locks redis" in findings[1].message


def test_a_repository_change_is_named(tmp_path: Path) -> None:
    moved = REMOTE.replace("charts.example.com", "mirror.example.com")
    locked_app(tmp_path, moved, f"dependencies:\n{REMOTE_LOCK}digest: sha256:0\n")
    findings = sources_findings(tmp_path)
    assert rules_of(findings) == ["chart-lock"]
    assert "mirror.example.com" in findings[0].message and findings[0].location.line == 7


def test_a_file_dependency_whose_chart_moved_on_is_out_of_sync(tmp_path: Path) -> None:
    deps = "  - name: child\n    version: '>=0.1.0'\n    repository: file://../child\n"
    lock_deps = "- name: child\n  repository: file://../child\n  version: 0.2.0\n"
    lock = f"dependencies:\n{lock_deps}digest: {digest_for(deps, lock_deps)}\n"
    locked_app(tmp_path, deps, lock)
    findings = sources_findings(tmp_path)
    assert rules_of(findings) == ["chart-lock"]
    assert "locks child at 0.2.0, but the chart at ../child is now 0.3.1" in findings[0].message


def test_an_alias_repository_is_hashed_with_the_locked_url(tmp_path: Path) -> None:
    aliased = REMOTE.replace("https://charts.example.com", "'@example'")
    lock = f"dependencies:\n{REMOTE_LOCK}digest: {digest_for(REMOTE, REMOTE_LOCK)}\n"
    locked_app(tmp_path, aliased, lock)
    assert sources_findings(tmp_path) == []


def test_a_value_helm_cannot_load_is_named_not_hashed(tmp_path: Path) -> None:
    deps = REMOTE + "    import-values: [.inf]\n"
    locked_app(tmp_path, deps, f"dependencies:\n{REMOTE_LOCK}digest: sha256:0\n")
    findings = sources_findings(tmp_path)
    assert [(f.rule, f.location.line) for f in findings] == [("chart-lock", 5)]
    assert "redis: Helm cannot load it (json: unsupported value: +Inf)" in findings[0].message


def test_a_lock_without_digest_or_unparsable(tmp_path: Path) -> None:
    locked_app(tmp_path, REMOTE, f"dependencies:\n{REMOTE_LOCK}")
    assert "has no digest" in sources_findings(tmp_path)[0].message
    (tmp_path / "charts/app/Chart.lock").write_text("dependencies:\n\t- x\n")
    findings = sources_findings(tmp_path)
    assert [(f.rule, f.location.line) for f in findings] == [("yaml-tab", 2)]


def test_a_v1_chart_uses_requirements_files(tmp_path: Path) -> None:
    requirements = "dependencies:\n" + REMOTE
    lock = f"dependencies:\n{REMOTE_LOCK}digest: sha256:0\n"
    write(
        tmp_path,
        {
            "charts/app/Chart.yaml": "apiVersion: v1\nname: app\nversion: 1.0.0\n",
            "charts/app/requirements.yaml": requirements,
            "charts/app/requirements.lock": lock,
        },
    )
    findings = sources_findings(tmp_path)
    assert [(f.rule, f.location.file) for f in findings] == [
        ("chart-lock", "charts/app/requirements.lock")
    ]


# -- policies ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("policy", "app_version", "ok"),
    [
        ("none", None, True),
        ("none", '"anything"', True),
        ("equal", '"1.2.3"', True),
        ("equal", "1.2.3", True),
        ("equal", '"v1.2.3"', False),
        ("equal", None, False),
        ("v-prefixed", "v1.2.3", True),
        ("v-prefixed", '"1.2.3"', False),
    ],
)
def test_app_version_policy(policy: str, app_version: str | None, ok: bool) -> None:
    extra = f"appVersion: {app_version}\n" if app_version is not None else ""
    findings = check_app_version(chart(v2("1.2.3", extra)), policy)  # type: ignore[arg-type]
    assert (findings == []) is ok
    if not ok:
        assert findings[0].rule == "app-version-policy"
        assert findings[0].location.line == (4 if app_version is not None else 3)


def values(text: str | None) -> object:
    return parse_yaml(text.encode()) if text is not None else None


HAMI = chart(v2("2.10.0", 'appVersion: "2.10.0"\n', name="hami"), "charts/hami")
IMAGE_TAG = parse_values_check("global.imageTag = v{version}")


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("global:\n  imageTag: v2.10.0\n", None, None),
        ("global:\n  imageTag: 'v2.10.0'  # in step\n", None, None),
        ("global:\n  imageTag: v2.9.0\n", "global.imageTag is 'v2.9.0', but", 2),
        ("global:\n  other: x\n", "values.yaml has no global.imageTag", 1),
        ("image: {}\n", "values.yaml has no global", 1),
        ("global:\n  imageTag:\n    a: b\n", "is a YAML mapping", 3),
        (None, "values.yaml is missing", None),
    ],
)
def test_values_checks(text: str | None, message: str | None, line: int | None) -> None:
    findings = check_values(HAMI, values(text), "charts/hami/values.yaml", [IMAGE_TAG])  # type: ignore[arg-type]
    if message is None:
        assert findings == []
        return
    assert rules_of(findings) == ["values-check"]
    assert message in findings[0].message
    assert findings[0].location.line == line
    assert findings[0].location.file == "charts/hami/values.yaml"


def test_a_values_number_is_reported_as_such() -> None:
    check = parse_values_check("image.tag = {appVersion}")
    demo = chart(v2("1.0.0", 'appVersion: "1.10"\n'))
    findings = check_values(demo, parse_yaml(b"image:\n  tag: 1.10\n"), "values.yaml", [check])
    assert findings[0].message == 'image.tag 1.10 is a YAML number; quote it: "1.10"'


def test_values_templates_and_lists() -> None:
    check = parse_values_check("images.1.tag = {name}:{appVersion}")
    demo = chart(v2("1.0.0", "appVersion: v9\n"))
    document = parse_yaml(b"images:\n  - tag: x\n  - tag: demo:v9\n")
    assert check_values(demo, document, "values.yaml", [check]) == []
    no_app = chart(v2("1.0.0"))
    assert (
        "needs an appVersion" in check_values(no_app, document, "values.yaml", [check])[0].message
    )


@pytest.mark.parametrize(
    "line", ["image.tag", "= v{version}", "image..tag = x", "a = {tag}", "a = {version"]
)
def test_bad_values_check_lines_are_usage_errors(line: str) -> None:
    with pytest.raises(UsageError):
        parse_values_check(line)


def test_values_check_parsing() -> None:
    assert parse_values_check("  global.imageTag =  v{version} ") == ValuesCheck(
        "global.imageTag", "v{version}"
    )


WEB = chart(v2("0.1.2", name="telepace-server"), "charts/services/server")
API = chart(v2("1.0.0", name="api"), "charts/api")


@pytest.mark.parametrize(
    ("tag", "template", "message"),
    [
        ("telepace-server-v0.1.2", "{name}-v{version}", None),
        ("refs/tags/telepace-server-v0.1.2", "{name}-v{version}", None),
        ("telepace-server-v0.1.3", "{name}-v{version}", "is for version 0.1.3, but chart"),
        ("ghost-v1.0.0", "{name}-v{version}", "is for chart 'ghost'"),
        ("v0.1.2", "{name}-v{version}", "does not fit tag-template"),
        ("v1.0.0-api", "v{version}-{name}", None),
    ],
)
def test_the_tag_must_match_the_chart_version(tag: str, template: str, message: str | None) -> None:
    findings = check_tag([API, WEB], tag, TagTemplate(template))
    if message is None:
        assert findings == []
    else:
        assert rules_of(findings) == ["tag-version"]
        assert message in findings[0].message


def test_a_tag_without_a_name_speaks_for_every_chart() -> None:
    hami = chart(v2("2.8.1", name="hami"), "charts/hami")
    findings = check_tag([hami], "v2.8.2", TagTemplate("v{version}"))
    assert (
        findings[0].message == "tag 'v2.8.2' is for version 2.8.2, but chart hami has version 2.8.1"
    )
    assert findings[0].location == SourceLocation("charts/hami/Chart.yaml", 3, 10)
    assert check_tag([hami], "v2.8.1", TagTemplate("v{version}")) == []


@pytest.mark.parametrize(
    ("tag", "template"),
    [
        ("release-2024", "v{version}"),  # fits no version at all
        ("hami-2.8.1", "v{version}"),
        ("ghost-v1.0.0", "{name}-v{version}"),  # fits, but names no chart
    ],
)
def test_a_tag_that_names_no_chart_is_annotated_on_the_tag_not_a_file(
    tag: str, template: str
) -> None:
    hami = chart(v2("2.8.1", name="hami"), "charts/hami")
    (finding,) = check_tag([hami], tag, TagTemplate(template))
    assert finding.rule == "tag-version"
    assert finding.location is None  # not the first chart's version line
    assert finding.chart == ""
    assert repr(tag) in finding.message


# -- published, names, version bump -----------------------------------------------------------


def test_a_published_version_or_an_existing_tag_is_refused() -> None:
    assert check_unpublished(API, {"api": {"0.9.0"}}, {"api-0.9.0"}, DEFAULT_TEMPLATE) == []
    published = check_unpublished(API, {"api": {"1.0.0"}}, set(), DEFAULT_TEMPLATE)
    assert "already published in the index" in published[0].message
    tagged = check_unpublished(API, None, {"api-v1.0.0"}, TagTemplate("{name}-v{version}"))
    assert "tag api-v1.0.0 already exists" in tagged[0].message
    assert rules_of(tagged) == ["already-published"]


def test_two_charts_with_one_name() -> None:
    twin = chart(v2("2.0.0", name="api"), "charts/legacy/api")
    findings = check_unique_names([API, WEB, twin])
    assert [(f.rule, f.chart) for f in findings] == [("duplicate-chart", "charts/legacy/api")]
    assert "also used by charts/api" in findings[0].message


@pytest.mark.parametrize(
    ("base", "current", "ok"),
    [
        ("1.0.0", "1.0.1", True),
        ("1.0.0", "1.0.0", False),
        ("1.2.0", "1.1.9", False),
        ("1.0.0-rc.1", "1.0.0", True),
        ("1.0.0", "1.0.0-rc.1", False),
        ("1.0.0+1", "1.0.0+2", False),
        ("2.3", "2.3.1", True),
        ("2.3", "2.3.0", False),
        ("v1.2.3", "1.2.4", True),
    ],
)
def test_version_bump(base: str, current: str, ok: bool) -> None:
    base_yaml = f"apiVersion: v2\nname: demo\nversion: {base}\n".encode()
    findings = check_version_bump(chart(v2(f"'{current}'")), base_yaml, "the merge-base")
    assert (findings == []) is ok
    if not ok:
        assert rules_of(findings) == ["version-bump"] and findings[0].location.line == 3
        assert f"not greater than {base} at the merge-base" in findings[0].message


def test_version_bump_messages() -> None:
    same = check_version_bump(chart(v2("1.0.0+2")), b"version: 1.0.0+1\n", "base")
    assert "build metadata (+2) does not count" in same[0].message
    assert "e.g. to 1.0.1" in same[0].message


def test_a_new_chart_is_exempt_and_an_unreadable_base_is_a_warning() -> None:
    assert check_version_bump(chart(v2()), None, "base") == []
    findings = check_version_bump(chart(v2()), b"version: [oops\n", "base")
    assert [(f.rule, f.severity) for f in findings] == [("version-bump", "warning")]


# -- run_checks on real repositories ---------------------------------------------------------


def chart_files(name: str, version: str, **extra: str) -> dict[str, str]:
    files = {f"charts/{name}/Chart.yaml": v2(version, name=name)}
    files.update({f"charts/{name}/{path}": text for path, text in extra.items()})
    return files


@pytest.fixture
def project(tmp_path: Path) -> GitProject:
    project = GitProject.create(tmp_path / "git")
    project.work.commit(
        {
            **chart_files("api", "1.0.0", **{"values.yaml": "replicas: 1\n"}),
            **chart_files("web", "2.0.0"),
            "charts/services/worker/Chart.yaml": v2("0.1.0", name="worker"),
        },
        "add charts",
    )
    project.work.push()
    project.work.checkout("feature", create=True)
    return project


def check(work: WorkingCopy, **options: object) -> list[Finding]:
    config = CheckConfig(**{"target_branch": "main", **options})  # type: ignore[arg-type]
    git = work.client()
    return list(run_checks(config, root=work.path, git=git).findings)


def test_a_changed_chart_without_a_bump_fails_and_with_one_passes(project: GitProject) -> None:
    work = project.work
    work.commit({"charts/api/values.yaml": "replicas: 2\n"}, "more replicas")
    findings = check(work)
    assert [(f.rule, f.chart, f.location.line) for f in findings] == [
        ("version-bump", "charts/api", 3)
    ]
    assert "at the merge-base with origin/main (" in findings[0].message
    work.commit({"charts/api/Chart.yaml": v2("1.0.1", name="api")}, "bump")
    assert check(work) == []


def test_new_charts_are_exempt_and_unchanged_charts_are_not_compared(project: GitProject) -> None:
    work = project.work
    work.commit(chart_files("fresh", "0.0.1"), "new chart")
    report = run_checks(CheckConfig(target_branch="main"), root=work.path, git=work.client())
    assert report.findings == ()
    assert {c.directory: c.changed for c in report.charts} == {
        "charts/api": False,
        "charts/fresh": True,
        "charts/services/worker": False,
        "charts/web": False,
    }


def test_a_change_in_an_excluded_chart_is_not_checked(project: GitProject) -> None:
    work = project.work
    work.commit({"charts/web/values.yaml": "x: 1\n"}, "change web")
    assert rules_of(check(work)) == ["version-bump"]
    assert check(work, exclude=("web",)) == []


def test_a_bumped_version_that_is_already_published_is_refused(project: GitProject) -> None:
    work = project.work
    work.commit({"charts/api/Chart.yaml": v2("1.1.0", name="api")}, "bump")
    config = CheckConfig(target_branch="main")
    report = run_checks(
        config,
        root=work.path,
        git=work.client(),
        published_versions={"api": {"1.0.0", "1.1.0"}},
        release_tags={"api-1.1.0", "web-2.0.0"},
    )
    assert [f.rule for f in report.findings] == ["already-published", "already-published"]


def test_the_merge_base_not_the_target_tip_is_the_baseline(project: GitProject) -> None:
    work = project.work
    other = project.clone("other", branch="main")
    other.commit({"charts/api/Chart.yaml": v2("1.5.0", name="api")}, "main moves on")
    other.push()
    work.git("fetch", "--quiet", "origin")
    work.commit({"charts/api/Chart.yaml": v2("1.0.1", name="api")}, "bump from the merge-base")
    assert check(work) == []  # 1.0.1 > 1.0.0 at the merge-base, though main has 1.5.0


def test_a_shallow_clone_is_deepened_not_passed(project: GitProject) -> None:
    work = project.work
    for number in range(6):
        work.commit({"charts/api/values.yaml": f"replicas: {number + 3}\n"}, f"change {number}")
    work.push("HEAD:refs/heads/feature")
    shallow = project.clone("shallow", branch="feature", depth=1)
    assert shallow.git("rev-parse", "--is-shallow-repository").strip() == "true"
    config = CheckConfig(target_branch="main")
    report = run_checks(config, root=shallow.path, git=shallow.client())
    assert [f.rule for f in report.findings] == ["version-bump"]
    assert report.changes is not None
    assert report.changes.merge_base == work.head("origin/main")


def test_a_shallow_clone_whose_history_cannot_be_fetched_is_an_error(
    project: GitProject, tmp_path: Path
) -> None:
    project.work.commit({"charts/api/values.yaml": "replicas: 9\n"}, "change")
    project.work.push("HEAD:refs/heads/feature")
    shallow = project.clone("shallow", branch="feature", depth=1)
    shallow.git(
        "fetch", "--quiet", "--depth=1", "origin", "+refs/heads/main:refs/remotes/origin/main"
    )
    shutil.rmtree(project.origin)
    with pytest.raises(GitError, match="fetching more history failed"):
        run_checks(CheckConfig(target_branch="main"), root=shallow.path, git=shallow.client())


def test_an_unknown_target_branch_is_an_error(project: GitProject) -> None:
    with pytest.raises(GitError, match="'nope'"):
        check(project.work, target_branch="nope")


def test_without_a_target_branch_only_static_checks_run(project: GitProject) -> None:
    work = project.work
    work.commit({"charts/api/values.yaml": "replicas: 2\n"}, "no bump")
    report = run_checks(CheckConfig(), root=work.path, git=None)
    assert report.findings == () and report.changes is None
    assert all(checked.changed is None for checked in report.charts)


def test_run_checks_from_a_subdirectory_of_the_repository(project: GitProject) -> None:
    work = project.work
    work.commit({"charts/services/worker/values.yaml": "a: 1\n"}, "change worker")
    config = CheckConfig(charts_dirs=("worker",), target_branch="main")
    root = work.path / "charts/services"
    findings = run_checks(config, root=root, git=work.client()).findings
    assert [(f.rule, f.chart) for f in findings] == [("version-bump", "worker")]


def test_static_findings_policies_and_the_tag_together(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "charts/hami/Chart.yaml": v2("2.10.0", 'appVersion: "2.9.0"\n', name="hami"),
            "charts/hami/values.yaml": "global:\n  imageTag: v2.9.0\n",
            "charts/broken/Chart.yaml": "apiVersion: v2\nname: broken\nversion: 1.10\n",
        },
    )
    config = CheckConfig(
        app_version_policy="equal",
        values_checks=("global.imageTag = v{version}",),
        tag_template=TagTemplate("v{version}"),
    )
    report = run_checks(config, root=tmp_path, tag="v2.10.0")
    assert [(f.rule, f.location.file, f.location.line) for f in report.findings] == [
        ("string-type", "charts/broken/Chart.yaml", 3),
        ("app-version-policy", "charts/hami/Chart.yaml", 4),
        ("values-check", "charts/hami/values.yaml", 2),
    ]
    assert report.failed
    assert [c.name for c in report.chart_files] == ["hami"]  # broken cannot be loaded


def test_a_bad_policy_is_a_usage_error(tmp_path: Path) -> None:
    write(tmp_path, {"charts/a/Chart.yaml": v2()})
    with pytest.raises(UsageError, match="app-version-policy"):
        run_checks(CheckConfig(app_version_policy="same"), root=tmp_path)


# -- reporting --------------------------------------------------------------------------------


def test_the_report_annotates_each_finding_and_raises(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "charts/a/Chart.yaml": "apiVersion: v2\nname: a\nversion: 1.10\n",
            "charts/b/Chart.yaml": v2(name="b"),
        },
    )
    report = run_checks(CheckConfig(), root=tmp_path)
    output = tmp_path / "output"
    output.touch()
    summary = tmp_path / "summary.md"
    lines: list[str] = []

    class Stream:
        def write(self, text: str) -> None:
            lines.append(text)

        def flush(self) -> None:
            pass

    runner = Runner({"GITHUB_OUTPUT": str(output), "GITHUB_STEP_SUMMARY": str(summary)}, Stream())  # type: ignore[arg-type]
    with pytest.raises(ChecksFailed, match="1 chart check failed in 1 chart"):
        report_checks(runner, report)
    printed = "".join(lines)
    assert (
        "::error file=charts/a/Chart.yaml,line=3,col=10,title=chart string-type::version 1.10"
        in printed
    )
    table = summary.read_text(encoding="utf-8")
    assert "| a (`charts/a`) | 1.10 | — | ❌ 1 problem |" in table
    assert "| b (`charts/b`) | 1.0.0 | — | ✅ |" in table


def test_the_summary_of_a_clean_run(tmp_path: Path) -> None:
    write(tmp_path, {"charts/a/Chart.yaml": v2(name="a")})
    markdown = check_summary_markdown(run_checks(CheckConfig(), root=tmp_path))
    assert markdown.startswith("### Chart checks\n") and "#### Problems" not in markdown


@pytest.mark.parametrize(
    ("files", "where", "message"),
    [
        (
            {"charts/demo/values.yaml": "replicas: 1\n---\n- not a map\n"},
            SourceLocation("charts/demo/values.yaml", 3),
            "values.yaml must be a map",
        ),
        (
            {"charts/demo/charts/sub/Chart.yaml": "apiVersion: v2\nversion: 1.0.0\n"},
            SourceLocation("charts/demo/charts/sub/Chart.yaml", 1),
            "the chart has no name",
        ),
        (
            {
                "charts/demo/Chart.yaml": "apiVersion: v2\nname: demo\nversion: 1.0.0\n"
                "maintainers:\n- email: a@example.com\n"
            },
            SourceLocation("charts/demo/Chart.yaml", 5),
            "each maintainer requires a name",
        ),
    ],
)
def test_what_helm_refuses_is_a_helm_load_finding_on_its_line(
    tmp_path: Path, files: dict[str, str], where: SourceLocation, message: str
) -> None:
    write(
        tmp_path,
        {"charts/demo/Chart.yaml": "apiVersion: v2\nname: demo\nversion: 1.0.0\n", **files},
    )

    report = run_checks(CheckConfig(), root=tmp_path)

    (finding,) = report.errors
    assert finding.rule == "helm-load"
    assert message in finding.message
    assert finding.location == where


def test_dependency_builds_are_predicted_only_for_what_a_release_would_build(
    tmp_path: Path,
) -> None:
    write(
        tmp_path,
        {
            "charts/app/Chart.yaml": "apiVersion: v2\nname: app\nversion: 1.0.0\n"
            "dependencies:\n  - name: common\n    version: 2.1.0\n"
            "    repository: https://charts.example.com\n"
        },
    )
    report = run_checks(CheckConfig(), root=tmp_path)
    assert report.findings == ()

    def rules(helm: str | None, published: dict[str, set[str]] | None) -> list[str]:
        return [
            finding.rule for finding in with_dependency_builds(report, helm, published).findings
        ]

    assert rules(None, None) == ["dependency-build"]
    assert rules(None, {"app": {"0.9.0"}}) == ["dependency-build"]
    assert rules(None, {"app": {"1.0.0"}}) == []  # published: a release builds nothing
    assert rules("/usr/bin/helm", None) == []  # helm builds them
