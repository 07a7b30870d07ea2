"""Loading Chart.yaml: malformed files become one finding on the right line, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from release_actions.chart.loader.chart_file import ChartFileError, load_chart, parse_chart
from release_actions.chart.loader.findings import Finding
from release_actions.errors import ReleaseActionsError, SourceLocation

VALID = 'apiVersion: v2\nname: demo\nversion: 1.2.3\nappVersion: "1.2.3"\n'


def parse(content: bytes | str) -> list[Finding]:
    data = content.encode("utf-8") if isinstance(content, str) else content
    _, findings = parse_chart(
        data, directory=Path("charts/demo"), display_path="charts/demo/Chart.yaml"
    )
    return findings


def only(findings: list[Finding]) -> Finding:
    assert len(findings) == 1, findings
    return findings[0]


def test_a_valid_chart_loads_with_its_fields(tmp_path: Path) -> None:
    (tmp_path / "Chart.yaml").write_text(VALID + "type: application\n", encoding="utf-8")
    chart = load_chart(tmp_path)
    assert (chart.name, chart.version, chart.app_version, chart.api_version) == (
        "demo",
        "1.2.3",
        "1.2.3",
        "v2",
    )
    assert chart.metadata["type"] == "application"
    assert chart.location("appVersion") == SourceLocation(str(tmp_path / "Chart.yaml"), 4, 13)


def test_load_chart_makes_locations_relative_to_the_root(tmp_path: Path) -> None:
    chart_dir = tmp_path / "charts" / "demo"
    chart_dir.mkdir(parents=True)
    (chart_dir / "Chart.yaml").write_text("apiVersion: v2\nname: demo\nversion: 1.10\n")
    with pytest.raises(ChartFileError) as caught:
        load_chart(chart_dir, root=tmp_path)
    assert caught.value.location == SourceLocation("charts/demo/Chart.yaml", 3, 10)
    assert isinstance(caught.value, ReleaseActionsError)


def test_a_tab_in_the_indentation_is_named_on_its_line() -> None:
    finding = only(
        parse("apiVersion: v2\nname: demo\nversion: 1.0.0\ndependencies:\n\t- name: x\n")
    )
    assert finding.rule == "yaml-tab"
    assert finding.location == SourceLocation("charts/demo/Chart.yaml", 5, 1)
    assert "tab" in finding.message and "spaces" in finding.message


def test_a_tab_after_a_key_is_fine_for_yaml() -> None:
    assert parse("apiVersion: v2\nname: demo\nversion:\t1.0.0\n") == []


def test_a_tab_before_a_nested_key_reports_the_tab_line_not_the_parser_line() -> None:
    text = "apiVersion: v2\nname: demo\nversion: 1.0.0\nmaintainers:\n  - name: a\n\t  email: b\n"
    finding = only(parse(text))
    assert (finding.rule, finding.location.line, finding.location.col) == ("yaml-tab", 6, 1)


def test_a_duplicate_key_is_an_error_on_the_second_occurrence() -> None:
    finding = only(parse("apiVersion: v2\nname: demo\nversion: 1.0.0\nversion: 1.0.1\n"))
    assert finding.rule == "yaml-duplicate-key"
    assert finding.location == SourceLocation("charts/demo/Chart.yaml", 4, 1)
    assert "'version'" in finding.message and "line 3" in finding.message


def test_a_nested_duplicate_key_is_found_and_the_earliest_is_reported() -> None:
    text = (
        "apiVersion: v2\nname: demo\nversion: 1.0.0\n"
        "annotations:\n  a: 1\n  a: 2\n"  # line 6
        "name: again\n"  # line 7
    )
    finding = only(parse(text))
    assert (finding.rule, finding.location.line, finding.location.col) == (
        "yaml-duplicate-key",
        6,
        3,
    )


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "version: 1.10",
            'version 1.10 is a YAML number and would be read as 1.1; quote it: version: "1.10"',
        ),
        ("version: 2.3", 'version 2.3 is a YAML number; quote it: version: "2.3"'),
        (
            "version: 1.0",
            'version 1.0 is a YAML number and would be read as 1; quote it: version: "1.0"',
        ),
        (
            "version: 010",
            'version 010 is a YAML integer and would be read as 8; quote it: version: "010"',
        ),
        ("version: 3", 'version 3 is a YAML integer; quote it: version: "3"'),
        ("version: ~", "version is empty (YAML null); give it a quoted value"),
        ("version: [1]", "version must be a string, not a YAML list"),
    ],
)
def test_a_version_that_yaml_reads_as_something_else_says_how(line: str, message: str) -> None:
    finding = only(parse(f"apiVersion: v2\nname: demo\n{line}\n"))
    assert finding.rule == "string-type"
    assert finding.message == message
    assert (finding.location.line, finding.location.col) == (3, 10)


def test_an_unquoted_app_version_is_reported_with_its_reading() -> None:
    finding = only(parse("apiVersion: v2\nname: demo\nversion: 1.0.0\nappVersion: 1.10\n"))
    assert finding.message == (
        'appVersion 1.10 is a YAML number and would be read as 1.1; quote it: appVersion: "1.10"'
    )
    assert finding.location.line == 4


def test_a_boolean_app_version_is_reported() -> None:
    finding = only(parse("apiVersion: v2\nname: demo\nversion: 1.0.0\nappVersion: yes\n"))
    assert "YAML boolean and would be read as true" in finding.message


def test_invalid_utf8_is_reported_at_the_offending_byte() -> None:
    finding = only(
        parse(b"apiVersion: v2\nname: demo\ndescription: caf\xe9 noir\nversion: 1.0.0\n")
    )
    assert finding.rule == "yaml-encoding"
    assert finding.location == SourceLocation("charts/demo/Chart.yaml", 3, 17)
    assert "0xE9" in finding.message and "UTF-8" in finding.message


def test_a_control_character_is_reported_on_its_line() -> None:
    finding = only(parse("apiVersion: v2\nname: demo\ndescription: a\x01b\nversion: 1.0.0\n"))
    assert finding.rule == "yaml-syntax"
    assert (finding.location.line, finding.location.col) == (3, 15)
    assert "U+0001" in finding.message


def test_a_byte_order_mark_is_accepted() -> None:
    assert parse("\ufeff" + VALID) == []


@pytest.mark.parametrize(
    ("text", "rule", "line"),
    [
        ("", "chart-file", 1),
        ("# only a comment\n", "chart-file", 1),
        ("- a\n- b\n", "chart-file", 1),
        ("apiVersion: v2\n---\nname: x\n", "yaml-syntax", 2),
        ("apiVersion: v2\nname: 'demo\n", "yaml-syntax", 3),
        ("apiVersion: v2\nname: demo\nversion: 1.0.0\nicon: !custom x\n", "yaml-syntax", 4),
        ("apiVersion: v2\nname: *missing\n", "yaml-syntax", 2),
    ],
)
def test_other_malformed_files_are_one_finding(text: str, rule: str, line: int) -> None:
    finding = only(parse(text))
    assert (finding.rule, finding.location.line) == (rule, line)


def test_missing_name_and_version_are_reported_at_the_top() -> None:
    findings = parse("apiVersion: v2\ndescription: x\n")
    assert [(f.rule, f.message, f.location.line) for f in findings] == [
        ("chart-name", "name is required", 1),
        ("version-semver", "version is required", 1),
    ]


def test_a_missing_chart_file_is_an_error_with_its_path(tmp_path: Path) -> None:
    with pytest.raises(ChartFileError) as caught:
        load_chart(tmp_path / "nowhere", root=tmp_path)
    assert caught.value.message == "Chart.yaml is missing"
    assert caught.value.location == SourceLocation("nowhere/Chart.yaml")


def test_findings_carry_the_chart_directory() -> None:
    finding = only(parse("apiVersion: v2\nname: demo\nversion: 1.10\n"))
    assert finding.chart == "charts/demo"


def test_helm_loads_a_chart_we_accept(tmp_path: Path) -> None:
    helm = pytest.importorskip("helm_python")
    (tmp_path / "Chart.yaml").write_text(VALID + "description: café\n", encoding="utf-8")
    ours = load_chart(tmp_path)
    with helm.Chart.load(tmp_path) as theirs:
        assert theirs.metadata["name"] == ours.name
        assert theirs.metadata["version"] == ours.version
        assert theirs.metadata["appVersion"] == ours.app_version


@pytest.mark.parametrize(
    "content",
    [
        b"apiVersion: v2\nname: demo\nversion: 1.0.0\ndependencies:\n\t- name: x\n",
        b"apiVersion: v2\nname: demo\ndescription: caf\xe9\nversion: 1.0.0\n",
        b"apiVersion: v2\nname: demo\nversion: 1.10\n",
    ],
)
def test_helm_lint_also_rejects_what_we_reject(tmp_path: Path, content: bytes) -> None:
    helm = pytest.importorskip("helm_python")
    (tmp_path / "Chart.yaml").write_bytes(content)
    assert parse(content) != []
    report = helm.lint(tmp_path)
    assert report["errors"], report


# -- Helm's reading of a scalar, not PyYAML's ------------------------------------------------------

HELM_READINGS = [
    # PyYAML reads these as strings; Helm (goyaml.v2) does not.
    ("y", "boolean", "true"),
    ("1e3", "number", "1000"),
    ("0B11", "integer", "3"),
    # Both read a number, but Helm's string field gets Go's 32-bit text for it.
    ("1.0e+6", "number", "1e+06"),
]


@pytest.mark.parametrize(("raw", "kind", "reading"), HELM_READINGS)
def test_an_app_version_helm_reads_as_another_type_is_reported_with_helms_reading(
    raw: str, kind: str, reading: str
) -> None:
    finding = only(parse(f"apiVersion: v2\nname: demo\nversion: 1.0.0\nappVersion: {raw}\n"))
    assert (finding.rule, finding.location.line, finding.location.col) == ("string-type", 4, 13)
    assert finding.message == (
        f"appVersion {raw} is a YAML {kind} and would be read as {reading}; quote it:"
        f' appVersion: "{raw}"'
    )


@pytest.mark.parametrize(("raw", "kind", "reading"), HELM_READINGS)
def test_the_reading_we_report_is_helms_own(
    tmp_path: Path, raw: str, kind: str, reading: str
) -> None:
    helm = pytest.importorskip("helm_python")
    (tmp_path / "Chart.yaml").write_text(
        f"apiVersion: v2\nname: demo\nversion: 1.0.0\nappVersion: {raw}\n", encoding="utf-8"
    )
    with helm.Chart.load(tmp_path) as loaded:
        assert loaded.metadata["appVersion"] == reading


def test_a_name_helm_reads_as_a_boolean_is_not_a_string() -> None:
    findings = parse("apiVersion: v2\nname: y\nversion: 1.0.0\n")
    assert ("chart-name", "name must be a string, not a YAML boolean") in [
        (f.rule, f.message) for f in findings
    ]


@pytest.mark.parametrize(
    ("line", "rule", "message"),
    [
        # Helm reads these explicitly tagged values; PyYAML's constructors crashed on them.
        ("appVersion: !!float 0x10", "string-type", "is a YAML number and would be read as 16"),
        ("appVersion: !!bool y", "string-type", "is a YAML boolean and would be read as true"),
        # Helm cannot read this one at all.
        ("appVersion: !!int abc", "yaml-syntax", "cannot decode !!str `abc` as a !!int"),
        ("description: !!bool maybe", "yaml-syntax", "cannot decode !!str `maybe` as a !!bool"),
    ],
)
def test_explicitly_tagged_values_are_findings_on_their_line(
    line: str, rule: str, message: str
) -> None:
    finding = only(parse(f"apiVersion: v2\nname: demo\nversion: 1.0.0\n{line}\n"))
    assert (finding.rule, finding.location.line) == (rule, 4)
    assert message in finding.message
