"""The kernel manager papermill starts report kernels with (imported only by papermill)."""

from jupyter_client.manager import KernelManager


class LocalKernelManager(KernelManager):
    """Kernels talk to papermill over local sockets (IPC), not TCP ports: no open port, no
    port clash between concurrent runs, and no warning about unencrypted TCP.

    Examples
    --------
    >>> LocalKernelManager(kernel_name="python3").transport
    'ipc'
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("transport", "ipc")
        super().__init__(**kwargs)
