"""A WaveNet of the LPC residual (`lpc_order`, the `vocoder_lpc` preset): the family's shared checks, codes
that decode back to the audio, and an all-pole filter that already puts the log-mel's envelope into the audio."""
import numpy as np
import pytest

from gan_audio.models.wavenet.wavenet import WaveNet
from gan_audio.models.wavenet.wavenet_vocoding import VOCODE_SEED
from tests import test_wavenet
from tests.test_wavenet import spectral_peaks, tones
from tests.test_wavenet_vocoder import VOCODER

LPC = {**VOCODER, "num_mel_bins": 16, "lpc_order": 8}


def flatness(audio):
    """Spectral flatness: the geometric over the arithmetic mean of the power spectrum (1: white)."""
    power = np.abs(np.fft.rfft(audio * np.hanning(len(audio)))) ** 2 + 1e-12
    return float(np.exp(np.mean(np.log(power))) / np.mean(power))


class TestTinyLPCWaveNet(test_wavenet.TestTinyWaveNet):
    """Config, export round trip, fit and resume for a WaveNet vocoder of the LPC residual."""
    init_kwargs = {**LPC, "vocode_temperature": 0.9, "dither": 1e-3, "seed": 0}


def test_the_residual_s_codes_decode_back_to_the_audio():
    model = WaveNet(**LPC)
    clip = tones([300.0, 900.0], 0.25)[None]
    codes = model.encode(clip)
    mel = model.log_mel(clip)
    assert flatness(model.decoder(codes).numpy()[0]) > 10 * flatness(clip[0])  # the residual is far whiter
    back = model.decode(codes, mel).numpy()
    snr = 10 * np.log10(np.sum(clip**2) / np.sum((back - clip) ** 2))
    assert snr > 25.0, snr
    with pytest.raises(ValueError, match="needs the log-mel"):
        model.decode(codes)
    with pytest.raises(ValueError, match="local_conditioning"):
        WaveNet(**{**LPC, "local_conditioning": False})
    with pytest.raises(ValueError, match="lpc_order"):
        WaveNet(**{**LPC, "lpc_order": -1})
    with pytest.raises(ValueError, match="dither"):
        WaveNet(**{**LPC, "dither": -1e-4})


@pytest.mark.parametrize("frequency", [300.0, 800.0])
def test_an_untrained_lpc_vocoder_already_puts_the_log_mel_s_tone_in_its_audio(frequency):
    """The envelope is computed, not learned: the untrained net's excitation through the frames' filter."""
    model = WaveNet(**LPC, vocode_temperature=1.0)
    clip = tones([frequency], 0.5)[None]
    vocoded = model.run_endpoint("resynthesize", waveform=clip)["waveform"][0]
    assert np.std(vocoded[500:1500]) > 0.01
    assert abs(spectral_peaks(vocoded[500:1500], 1)[0] - frequency) <= 20.0
    plain = WaveNet(**{**VOCODER, "num_mel_bins": 16}, vocode_temperature=1.0)  # without the filter it is not there
    other = plain.run_endpoint("resynthesize", waveform=clip)["waveform"][0]
    assert abs(spectral_peaks(other[500:1500], 1)[0] - frequency) > 20.0
    mel = model.log_mel(clip)
    served = model.run_endpoint("serving_default", mel=mel)["waveform"]
    drawn = model.generate(1, seed=VOCODE_SEED, temperature=1.0, num_samples=served.shape[1], mel=mel)
    np.testing.assert_allclose(served, drawn, atol=1e-3)  # the same codes; the filter's rounding may differ
