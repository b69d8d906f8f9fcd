"""Shared fixtures for the tests."""

from __future__ import annotations

import pytest

from helpers import CONFIGS


@pytest.fixture(params=sorted(CONFIGS))
def config(request):
    return request.param, CONFIGS[request.param]()


# -- behaviour tests written as data: tests/behaviour/*.yaml --------------------------------------

class BehaviourFile(pytest.File):
    def collect(self):
        import yaml

        cases = yaml.safe_load(self.path.read_text(encoding="utf-8"))
        for case in cases:
            yield BehaviourItem.from_parent(self, name=case["name"], case=case)


class BehaviourItem(pytest.Item):
    def __init__(self, *, case, **kwargs):
        super().__init__(**kwargs)
        self.case = case

    def runtest(self):
        from behaviour_harness import check

        bad = check(self.case)
        if bad:
            raise AssertionError("; ".join(bad))

    def repr_failure(self, excinfo):
        return f"{self.name}: {excinfo.value}" if isinstance(excinfo.value, AssertionError) else super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, 0, f"behaviour: {self.name}"


def pytest_collect_file(parent, file_path):
    if file_path.suffix == ".yaml" and file_path.parent.name == "behaviour":
        return BehaviourFile.from_parent(parent, path=file_path)
