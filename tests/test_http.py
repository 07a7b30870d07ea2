"""The httpx client factory and its retries, against pytest-httpx."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime

import httpx
import pytest
from pytest_httpx import HTTPXMock

from release_actions import __version__
from release_actions.errors import ReleaseActionsError
from release_actions.http import Backoff, get_with_retry, make_client

URL = "https://charts.example.org/index.yaml"


class Sleeps(list[float]):
    """Records waits instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


def test_the_client_sends_our_user_agent_and_has_timeouts(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=URL, text="entries: {}\n")

    with make_client(timeout=5.0) as client:
        response = client.get(URL)

    assert response.text == "entries: {}\n"
    assert httpx_mock.get_request().headers["User-Agent"] == f"release-actions/{__version__}"  # type: ignore[union-attr]
    assert client.timeout == httpx.Timeout(5.0)


def test_server_errors_are_retried_with_growing_jittered_waits(
    httpx_mock: HTTPXMock, sleeps: Sleeps
) -> None:
    httpx_mock.add_response(url=URL, status_code=503)
    httpx_mock.add_response(url=URL, status_code=502)
    httpx_mock.add_response(url=URL, text="ok")

    with make_client(retries=3, sleep=sleeps) as client:
        response = client.get(URL)

    assert response.text == "ok"
    assert len(sleeps) == 2
    assert 0.25 <= sleeps[0] <= 0.5
    assert 0.5 <= sleeps[1] <= 1.0


def test_connect_errors_are_retried(httpx_mock: HTTPXMock, sleeps: Sleeps) -> None:
    httpx_mock.add_exception(httpx.ConnectError("connection refused"), url=URL)
    httpx_mock.add_exception(httpx.ConnectTimeout("timed out"), url=URL)
    httpx_mock.add_response(url=URL, text="ok")

    with make_client(sleep=sleeps) as client:
        assert client.get(URL).text == "ok"
    assert len(sleeps) == 2


def test_read_timeouts_are_retried_for_gets(httpx_mock: HTTPXMock, sleeps: Sleeps) -> None:
    httpx_mock.add_exception(httpx.ReadTimeout("slow"), url=URL)
    httpx_mock.add_response(url=URL, text="ok")

    with make_client(sleep=sleeps) as client:
        assert client.get(URL).text == "ok"


def test_a_post_the_server_may_have_acted_on_is_not_repeated(
    httpx_mock: HTTPXMock, sleeps: Sleeps
) -> None:
    httpx_mock.add_response(url=URL, method="POST", status_code=502)

    with make_client(sleep=sleeps) as client:
        assert client.post(URL, content=b"x").status_code == 502

    httpx_mock.add_exception(httpx.ReadTimeout("slow"), url=URL, method="POST")
    with make_client(sleep=sleeps) as client, pytest.raises(httpx.ReadTimeout):
        client.post(URL, content=b"x")
    assert len(httpx_mock.get_requests()) == 2
    assert sleeps == []


def test_a_post_that_never_connected_is_retried(httpx_mock: HTTPXMock, sleeps: Sleeps) -> None:
    httpx_mock.add_exception(httpx.ConnectError("refused"), url=URL, method="POST")
    httpx_mock.add_response(url=URL, method="POST", status_code=201)

    with make_client(sleep=sleeps) as client:
        assert client.post(URL, content=b"payload").status_code == 201
    assert [request.content for request in httpx_mock.get_requests()] == [b"payload"] * 2


def test_too_many_requests_waits_as_told(httpx_mock: HTTPXMock, sleeps: Sleeps) -> None:
    httpx_mock.add_response(url=URL, method="POST", status_code=429, headers={"Retry-After": "7"})
    httpx_mock.add_response(url=URL, method="POST", status_code=201)

    with make_client(sleep=sleeps) as client:
        assert client.post(URL, content=b"x").status_code == 201
    assert sleeps == [7.0]


def test_the_last_answer_is_returned_when_retries_run_out(
    httpx_mock: HTTPXMock, sleeps: Sleeps
) -> None:
    for _ in range(3):
        httpx_mock.add_response(url=URL, status_code=500)

    with make_client(retries=2, sleep=sleeps) as client:
        assert client.get(URL).status_code == 500
    assert len(sleeps) == 2


def test_client_errors_are_not_retried(httpx_mock: HTTPXMock, sleeps: Sleeps) -> None:
    httpx_mock.add_response(url=URL, status_code=404)

    with make_client(sleep=sleeps) as client:
        assert client.get(URL).status_code == 404
    assert sleeps == []


def test_redirects_are_followed(httpx_mock: HTTPXMock) -> None:
    moved = "https://pages.example.org/index.yaml"
    httpx_mock.add_response(url=URL, status_code=301, headers={"Location": moved})
    httpx_mock.add_response(url=moved, text="moved")

    with make_client() as client:
        assert client.get(URL).text == "moved"


def test_get_with_retry_counts_every_attempt_once(httpx_mock: HTTPXMock, sleeps: Sleeps) -> None:
    for _ in range(3):
        httpx_mock.add_response(url=URL, status_code=503)

    with make_client(retries=5, sleep=sleeps) as client:
        response = get_with_retry(client, URL, attempts=3, sleep=sleeps)

    assert response.status_code == 503
    assert len(httpx_mock.get_requests()) == 3


def test_get_with_retry_recovers(httpx_mock: HTTPXMock, sleeps: Sleeps) -> None:
    httpx_mock.add_exception(httpx.ReadError("reset by peer"), url=URL)
    httpx_mock.add_response(url=URL, text="ok")

    with httpx.Client() as client:
        assert get_with_retry(client, URL, sleep=sleeps).text == "ok"
    assert len(sleeps) == 1


def test_get_with_retry_turns_a_failure_into_one_clear_error(
    httpx_mock: HTTPXMock, sleeps: Sleeps
) -> None:
    for _ in range(2):
        httpx_mock.add_exception(httpx.ConnectError("[Errno 111] Connection refused"), url=URL)

    with make_client() as client, pytest.raises(ReleaseActionsError) as caught:
        get_with_retry(client, URL, attempts=2, sleep=sleeps)

    assert str(caught.value) == f"network error: cannot fetch {URL}: [Errno 111] Connection refused"


def test_backoff_grows_is_capped_and_honours_retry_after() -> None:
    low = Backoff(base=1.0, cap=5.0, jitter=lambda: 0.0)
    high = Backoff(base=1.0, cap=5.0, jitter=lambda: 1.0)

    assert [low.delay(n) for n in (1, 2, 3, 4)] == [0.5, 1.0, 2.0, 2.5]
    assert [high.delay(n) for n in (1, 2, 3, 4)] == [1.0, 2.0, 4.0, 5.0]
    asked = httpx.Response(503, headers={"Retry-After": "3"})
    assert low.delay(1, asked) == 3.0
    too_long = httpx.Response(503, headers={"Retry-After": "3600"})
    assert low.delay(1, too_long) == 5.0
    past = httpx.Response(
        503, headers={"Retry-After": format_datetime(datetime(2020, 1, 1, tzinfo=UTC), usegmt=True)}
    )
    assert low.delay(1, past) == 0.0
