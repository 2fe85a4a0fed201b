"""devices.py against a fake device list: memory growth and the device each side reports."""

from __future__ import annotations

from types import SimpleNamespace

from kernel_helpers.compare import devices


class FakeExperimental:
    def __init__(self, initialized: bool = False, details: dict | None = None) -> None:
        self.growth: dict[str, bool] = {}
        self.initialized = initialized
        self.details = details or {}

    def get_memory_growth(self, device) -> bool:
        return self.growth.get(device.name, False)

    def set_memory_growth(self, device, enable: bool) -> None:
        if self.initialized:
            raise RuntimeError("Physical devices cannot be modified after being initialized")
        self.growth[device.name] = enable

    def get_device_details(self, device) -> dict:
        return self.details.get(device.name, {})


class FakeConfig:
    def __init__(self, gpu_count: int, **kwargs) -> None:
        self.devices = [SimpleNamespace(name=f"/physical_device:GPU:{i}", device_type="GPU") for i in range(gpu_count)]
        self.experimental = FakeExperimental(**kwargs)

    def list_physical_devices(self, kind: str):
        return list(self.devices) if kind == "GPU" else [SimpleNamespace(name="/physical_device:CPU:0")]


def test_cpu_only() -> None:
    config = FakeConfig(0)
    assert devices.gpus(config) == []
    assert devices.enable_memory_growth(config) == []
    assert devices.describe(config) == "CPU"
    assert devices.report(config)["gpus"] == []


def test_memory_growth_is_turned_on_for_every_gpu() -> None:
    config = FakeConfig(2, details={"/physical_device:GPU:0": {"device_name": "Tesla T4"}})
    assert devices.enable_memory_growth(config) == []
    assert config.experimental.growth == {"/physical_device:GPU:0": True, "/physical_device:GPU:1": True}
    assert devices.describe(config) == "GPU:0 (Tesla T4, 2 visible)"
    report = devices.report(config)
    assert report["gpus"] == ["GPU:0", "GPU:1"] and report["memory_growth"] == [True, True]


def test_initialized_gpus_give_a_note_instead_of_an_error() -> None:
    config = FakeConfig(1, initialized=True)
    notes = devices.enable_memory_growth(config)
    assert len(notes) == 1 and "GPU:0" in notes[0] and "initialized" in notes[0]
    assert devices.describe(config) == "GPU:0"


def test_cuda_visible_devices_is_reported(monkeypatch) -> None:
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "1")
    assert devices.report(FakeConfig(1))["cuda_visible_devices"] == "1"


def test_a_broken_device_query_means_cpu() -> None:
    class Broken(FakeConfig):
        def list_physical_devices(self, kind):
            raise RuntimeError("CUDA driver version is insufficient")

    assert devices.describe(Broken(1)) == "CPU"
