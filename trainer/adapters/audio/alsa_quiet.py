"""Stop libasound from writing its error messages over the TUI.

When a device is missing or busy, libasound prints lines such as
``ALSA lib pcm.c:2666:(snd_pcm_open_noupdate) Unknown PCM default`` straight
to file descriptor 2. Textual draws the whole screen on that same descriptor
(it writes to ``sys.__stderr__``), so those lines land in the middle of the
picture. Python cannot catch them: they never pass through ``sys.stderr``.

libasound routes every such message through one replaceable function,
installed with ``snd_lib_error_set_handler``. We install a do-nothing handler
once per process. The errors still reach us the proper way, as return codes
(simpleaudio turns them into exceptions), so nothing is lost but the noise.

We deliberately do *not* redirect fd 2 around device opens: while the TUI
runs, that would also swallow the screen updates Textual writes in the
meantime. Subprocesses (aplay, espeak-ng) get their stderr piped instead.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import threading

# The C signature is
#   void handler(const char *file, int line, const char *function, int err,
#                const char *fmt, ...)
# ctypes cannot declare the variadic tail, but a handler that ignores it is
# safe on the platforms we run on (x86-64 and 32/64-bit ARM Linux): the caller
# owns the extra arguments. Pointers are declared as void* so ctypes does not
# even build Python strings for them.
_HANDLER_TYPE = ctypes.CFUNCTYPE(
    None, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p
)


def _ignore_alsa_error(
    file: int | None, line: int, function: int | None, err: int, fmt: int | None
) -> None:
    """Called by libasound instead of printing; deliberately does nothing."""


# Module globals keep the callback (and the library) alive for the life of the
# process: libasound keeps only a raw pointer, and if ctypes freed the thunk the
# next ALSA error would jump into freed memory.
_NO_OP_HANDLER = _HANDLER_TYPE(_ignore_alsa_error)
_libasound: ctypes.CDLL | None = None
_lock = threading.Lock()


def silence_alsa_errors() -> bool:
    """Install the no-op handler (once); False when libasound is not on this machine.

    Safe to call any number of times, from any thread, before or after
    simpleaudio is imported: the handler lives in libasound itself, which the
    dynamic linker loads only once per process, so simpleaudio's copy of the
    library is the same one we configure here.
    """
    global _libasound
    with _lock:
        if _libasound is not None:
            return True
        library = _load_libasound()
        if library is None:
            return False
        try:
            set_handler = library.snd_lib_error_set_handler
        except AttributeError:
            return False
        set_handler.argtypes = [_HANDLER_TYPE]
        set_handler.restype = ctypes.c_int
        if set_handler(_NO_OP_HANDLER) != 0:
            return False
        _libasound = library
        return True


def _load_libasound() -> ctypes.CDLL | None:
    # The soname first: it is what simpleaudio links against and needs no
    # search; find_library (which may run ldconfig) covers other namings.
    try:
        return ctypes.CDLL("libasound.so.2")
    except OSError:
        pass
    name = ctypes.util.find_library("asound")
    if name is None:
        return None
    try:
        return ctypes.CDLL(name)
    except OSError:
        return None
