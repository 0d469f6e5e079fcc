"""Vocoder: both heads' shapes for any length, the inverse STFT, the shared checks, overfitting one clip."""
import numpy as np
import pytest
import soundfile as sf
import tensorflow as tf

from gan_audio import cli
from gan_audio.data import audio_dataset, find_audio_files
from gan_audio.features import GriffinLim, LogMelSpectrogram
from gan_audio.features.spectral import hann_window
from gan_audio.models import SpecGAN, Vocoder
from gan_audio.models.vocoder.vocoder_discriminators import MultiDiscriminator
from gan_audio.models.vocoder.vocoder_generators import InverseSTFT
from gan_audio.recipes import vocoder_dataset
from tests.family_test_case import FamilyTestCase

TINY_HIFIGAN = {"head": "hifigan", "channels": 8, "upsample_rates": [4, 4, 8], "upsample_kernels": [8, 8, 16],
                "resblock_kernels": [3], "resblock_dilations": [1, 3]}


class TestTinyVocoder(FamilyTestCase):
    model_class = Vocoder
    init_kwargs = {**Vocoder.PRESETS["tiny"]["config"], "seed": 0}
    preset = "tiny"

    def train_dataset(self, model):
        return vocoder_dataset(model, {"data": find_audio_files("spoken_digits").paths[::20], "batch_size": 4}).dataset

    def example_inputs(self, model):
        waves = (0.1 * np.random.default_rng(5).standard_normal((2, 3000))).astype("float32")
        return {"mel": np.asarray(model.codec.log_mel(waves))}

    def other_endpoint_inputs(self, model):
        return {"resynthesize": {"waveform": (0.1 * np.random.default_rng(6).standard_normal((2, 2500))).astype("float32")}}

    def test_shared_checks(self, tmp_path):
        history = self.run_shared_checks(self.make_model(), tmp_path)
        assert sorted(history.history) == ["d_loss", "feature_matching", "g_adversarial", "g_loss", "mel_l1"]

    def test_mixed_precision(self):
        self.run_mixed_precision_test()


@pytest.mark.parametrize("head", ["fourier", "hifigan"])
def test_output_covers_exactly_the_analysed_frames(head):
    overrides = TINY_HIFIGAN if head == "hifigan" else {}
    vocoder = Vocoder.from_preset("tiny", **overrides)
    for frames in (1, 5, 37):
        mel = np.random.default_rng(frames).normal(-20, 10, (2, frames, 16)).astype("float32")
        audio = vocoder.serve(mel=mel)["waveform"]
        assert audio.shape == (2, (frames - 1) * 128 + 512)  # the samples those frames are analysed from
        assert vocoder.codec.num_frames(audio.shape[1]) == frames
    resynthesized = vocoder.resynthesize(np.zeros((1, 5000), "float32"))
    assert resynthesized["waveform"].shape[1] == vocoder.output_samples(resynthesized["log_mel"].shape[1])


def test_inverse_stft_of_a_true_stft_gives_the_signal_back():
    signal = np.random.default_rng(0).standard_normal((1, 4096)).astype("float32")
    spectrum = tf.signal.stft(signal, 512, 128, window_fn=hann_window)
    features = tf.concat([tf.math.log(tf.abs(spectrum) + 1e-12), tf.math.angle(spectrum)], axis=-1)
    rebuilt = InverseSTFT(512, 128)(features).numpy()
    middle = slice(512, rebuilt.shape[1] - 512)  # the edges lack overlapping windows
    np.testing.assert_allclose(rebuilt[0, middle], signal[0, middle], atol=1e-3)


def test_discriminator_returns_logits_and_feature_maps_as_separate_lists():
    discriminator = MultiDiscriminator(periods=[2, 3], resolutions=[[256, 64]], period_channels=[4, 8],
                                       resolution_channels=[4, 4])
    for length in (3000, 4097):
        parts = discriminator(np.zeros((2, length), "float32"))
        logits, features = parts["logits"], parts["features"]
        assert len(logits) == len(features) == 3
        assert [len(f) for f in features] == [2, 2, 2] and all(l.shape[0] == 2 for l in logits)


def test_the_magnitude_prior_gives_a_flat_spectrum_back_from_its_mel():
    from gan_audio.features.spectral import mel_weight_matrix
    from gan_audio.models.vocoder.vocoder_generators import MelMagnitudePrior

    weights = mel_weight_matrix(16000, 512, 16)  # (257, 16)
    power = 3.0e2  # a flat power spectrum: every mel band holds power × its filter's sum
    mel_db = 10 * np.log10(power * weights.sum(axis=0))[None, None, :].repeat(5, axis=1).astype("float32")
    x = np.zeros((1, 5, 2 * 257), "float32")
    x[..., 257:] = 0.7  # phases pass through
    out = MelMagnitudePrior(16000, 512, 16)([x, mel_db]).numpy()
    covered = weights.sum(axis=1) > 0
    np.testing.assert_allclose(out[0, :, :257][:, covered], 0.5 * np.log(power), rtol=1e-4)
    assert np.all(out[0, :, :257][:, ~covered] < -13)  # no band covers them: the floor
    np.testing.assert_allclose(out[..., 257:], 0.7)
    louder = MelMagnitudePrior(16000, 512, 16)([x, mel_db + 20.0]).numpy()
    np.testing.assert_allclose((louder - out)[0, :, :257][:, covered], 0.5 * np.log(100.0), rtol=1e-4)


@pytest.mark.slow
def test_a_tiny_vocoder_overfits_one_clip_better_than_griffin_lim():
    clip = next(iter(audio_dataset("spoken_digits", labels=None, batch_size=1, shuffle=False, training=False)))
    # the `small` schedule, shortened: 300 G-only steps on mel L1 + MR-STFT, then 100 adversarial ones
    vocoder = Vocoder.from_preset("tiny", dim=32, num_blocks=2, segment_frames=32, warmup_steps=300, stft_weight=1.0,
                                  seed=0)
    vocoder.compile(**Vocoder.compile_kwargs("tiny"))
    data = tf.data.Dataset.from_tensors(clip).repeat()
    vocoder.fit(data, epochs=1, steps_per_epoch=400, verbose=0)
    log_mel = LogMelSpectrogram(frame_length=512, frame_step=128, num_mel_bins=16)
    target = log_mel(clip).numpy()
    griffin_lim = GriffinLim(frame_length=512, frame_step=128, num_mel_bins=16, iterations=32)(target)
    learned = vocoder.serve(mel=target)["waveform"]
    errors = {name: float(np.mean(np.abs(log_mel(audio).numpy() - target)))
              for name, audio in [("griffin-lim", griffin_lim), ("vocoder", learned)]}
    print(errors)
    assert errors["vocoder"] < errors["griffin-lim"], errors


def test_vocode_keeps_duration_and_rate_and_checks_what_it_is_given(tmp_path, capsys):
    run = str(tmp_path / "vocoder")
    args = ["train", "vocoder", "--preset", "tiny", "--epochs", "1", "--steps-per-epoch", "2", "--batch-size", "4"]
    assert cli.main([*args, "--out", run]) == 0
    audio, _ = sf.read(find_audio_files("spoken_digits").paths[0], dtype="float32")
    sf.write(str(tmp_path / "long.flac"), np.tile(audio, 3)[:40001], 22050)  # another rate, odd length
    assert cli.main(["vocode", str(tmp_path / "long.flac"), "--model", run, "--out", str(tmp_path / "out")]) == 0
    vocoded, rate = sf.read(str(tmp_path / "out" / "long.wav"))
    assert rate == 16000 and len(vocoded) == round(40001 * 16000 / 22050)
    gan = str(tmp_path / "gan")
    assert cli.main(["train", "spec-gan", "--preset", "tiny", "--epochs", "1", "--steps-per-epoch", "2",
                     "--batch-size", "4", "--out", gan]) == 0
    capsys.readouterr()
    assert cli.main(["generate", gan, "--num", "1", "--vocoder", run, "--out", str(tmp_path / "g")]) == 2
    assert "expects another log-mel" in capsys.readouterr().err  # tiny SpecGAN: 16 mels of 512/512
    assert cli.main(["vocode", str(tmp_path / "long.flac"), "--model", gan, "--out", str(tmp_path / "x")]) == 2
    assert "is not a vocoder" in capsys.readouterr().err


def test_sample_writer_vocodes_the_samples_it_writes(tmp_path):
    from gan_audio.callbacks import SampleWriter
    from gan_audio.models import SpecGAN

    codec = {"frame_length": 512, "frame_step": 128, "num_mel_bins": 16, "griffin_lim_iterations": 2}
    gan = SpecGAN.from_preset("tiny", codec=codec, clip_seconds=0.152, conditional=True, num_classes=3)
    vocoder = Vocoder.from_preset("tiny", seed=0)
    writer = SampleWriter(str(tmp_path), num=2, vocoder=vocoder)
    writer.set_model(gan)
    writer.on_epoch_end(0)
    audio, rate = sf.read(str(tmp_path / "epoch_001" / "sample_01.wav"), dtype="float32")
    expected = vocoder.serve(mel=gan.synthesize(2, labels=[0, 1], seed=0)["log_mel"])["waveform"].numpy()[1]
    assert rate == 16000 and audio.shape == expected.shape == (15 * 128 + 512,)
    np.testing.assert_allclose(audio, np.clip(expected, -1, 1), atol=1e-4)  # 16-bit WAV


def test_vocode_in_python_resamples_keeps_duration_and_refuses_audio_on_another_scale():
    from gan_audio.vocoding import vocode

    model = Vocoder.from_preset("tiny", seed=0)
    rate = model.sample_rate
    tone = (0.3 * np.sin(2 * np.pi * 440 * np.arange(int(1.3 * 44100)) / 44100)).astype("float32")
    out = vocode(model, tone, 44100)
    assert out.dtype == np.float32 and out.shape == (round(1.3 * rate),)  # the recording's duration at the model's rate
    np.testing.assert_array_equal(vocode(model, tone, 44100), out)  # deterministic
    pcm = (tone * 32767).astype(np.int16)
    for bad, message in ((pcm, "got int16 samples"), (pcm.astype("float32"), "its peak is"), (tone[None], r"\(S,\)"),
                         (tone[:0], r"\(S,\)"), (np.full(100, np.nan, "float32"), "finite")):
        with pytest.raises(ValueError, match=message):
            vocode(model, bad, 44100)
    with pytest.raises(ValueError, match="is not a vocoder"):
        vocode(SpecGAN.from_preset("tiny"), tone, 44100)
