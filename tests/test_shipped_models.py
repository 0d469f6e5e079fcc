"""Every model in saved_models/ does its job right after installation, through the functions the CLI runs,
on clips it never trained on (held-out voices of spoken_digits)."""
import os

import numpy as np
import pytest

from gan_audio.data import find_audio_files, load_audio
from gan_audio.metrics import si_sdr
from gan_audio.samples import write_wav

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAVED = os.path.join(ROOT, "saved_models")
RATE = 16000
TESTED = {"spec_gan_digits", "vocoder_small", "mask_denoiser", "wavenet_denoiser", "sgan_digits", "gcdg_babble",
          "dense_gan_digits", "wavenet_lpc_vocoder"}
BUDGET_BYTES = 40_000_000  # what saved_models/ may take in the repository


def held_out(num, seed=0):
    """`num` held-out clips: (paths, class names)."""
    files = find_audio_files("spoken_digits:test")
    pick = np.random.default_rng(seed).permutation(len(files.paths))[:num]
    return [files.paths[i] for i in pick], [files.class_names[files.labels[i]] for i in pick]


def _megabytes(path):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(path) for f in files) / 1e6


def test_every_shipped_model_has_a_card_giving_its_size_and_a_test_here():
    shipped = {name for name in os.listdir(SAVED) if os.path.isdir(os.path.join(SAVED, name))}
    assert shipped == TESTED, f"shipped models without a test here: {sorted(shipped - TESTED)}"
    for name in shipped:
        card = open(os.path.join(SAVED, name, "README.md"), encoding="utf-8").read()
        newest = max((v for v in os.listdir(os.path.join(SAVED, name)) if v.isdigit()), key=int)
        size = f"- Size: {_megabytes(os.path.join(SAVED, name, newest)):.2f} MB (`saved_models/{name}/{newest}/`"
        assert size in card, f"{name}'s card does not give its size: python scripts/shipped_cards.py --sizes"


def test_the_shipped_models_fit_their_budget():
    size = sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(SAVED) for f in files)
    assert size < BUDGET_BYTES, f"saved_models/ holds {size / 1e6:.2f} MB, over {BUDGET_BYTES / 1e6:.0f} MB"


def test_shipped_dense_gan_words_are_heard(tmp_path):
    from gan_audio.classification import predict_waveforms
    from gan_audio.export import load_saved_model
    from gan_audio.judge import load_judge

    served = load_saved_model(os.path.join(SAVED, "dense_gan_digits"))
    labels = np.repeat(np.arange(10), 2)
    clips = served.generate(20, labels=labels, seed=5)  # Griffin-Lim audio, as `gan-audio generate` writes
    assert clips.shape[0] == 20 and clips.std(axis=1).min() > 1e-3
    judge = load_judge()
    wanted = np.array([judge.class_names.index(served.metadata["class_names"][i]) for i in labels])
    heard = predict_waveforms(judge, clips[:, :RATE])[0].argmax(axis=1)
    assert np.mean(heard == wanted) >= 0.7, list(zip(heard, wanted))  # 92.5 % of 200 on its card; goal 50 %
    assert len(set(heard.tolist())) >= 8  # words, not one blob for every label


def test_shipped_sgan_classifies_held_out_voices():
    from gan_audio.classification import classify_files

    paths, truth = held_out(20)
    heard = [name for _, name, _ in classify_files(os.path.join(SAVED, "sgan_digits"), paths)]
    assert sum(h == t for h, t in zip(heard, truth)) >= 18, list(zip(heard, truth))


def test_shipped_sgan_says_when_a_file_is_longer_than_the_second_it_hears(tmp_path, caplog):
    from gan_audio.classification import classify_files

    (path,), _ = held_out(1)
    word = load_audio(path, sample_rate=16000)
    long = str(tmp_path / "three_words.wav")
    write_wav(long, np.concatenate([word, word, word]), 16000)
    with caplog.at_level("WARNING", logger="gan_audio"):
        classify_files(os.path.join(SAVED, "sgan_digits"), [path])
        assert not caplog.records
        classify_files(os.path.join(SAVED, "sgan_digits"), [long])
    assert "three_words.wav" in caplog.text and "centred 1.00 s" in caplog.text  # an export from before the key


def test_shipped_spec_gan_words_are_heard_through_the_shipped_vocoder(tmp_path):
    from gan_audio.classification import predict_waveforms
    from gan_audio.generation import generate_files
    from gan_audio.judge import load_judge

    paths = generate_files(os.path.join(SAVED, "spec_gan_digits"), 2, str(tmp_path), label="all", seed=3,
                           vocoder=os.path.join(SAVED, "vocoder_small"))
    wavs = sorted(p for p in paths if p.endswith(".wav"))
    assert len(wavs) == 20
    judge = load_judge()
    clips = np.stack([load_audio(p, sample_rate=RATE)[:RATE] for p in wavs])
    assert clips.std(axis=1).min() > 1e-3  # not silence
    heard = np.array(judge.class_names)[predict_waveforms(judge, clips)[0].argmax(axis=1)]
    wanted = [os.path.basename(p).split("_")[0] for p in wavs]
    assert np.mean(heard == np.array(wanted)) >= 0.8, list(zip(heard, wanted))


def test_shipped_spec_gan_words_are_heard_through_the_shipped_wavenet(tmp_path):
    """The SpecGAN's log-mels drawn a sample at a time by the LPC WaveNet vocoder (`generate --vocoder`)."""
    from gan_audio.classification import predict_waveforms
    from gan_audio.generation import generate_files
    from gan_audio.judge import load_judge

    paths = generate_files(os.path.join(SAVED, "spec_gan_digits"), 2, str(tmp_path), label="all", seed=5,
                           vocoder=os.path.join(SAVED, "wavenet_lpc_vocoder"))
    wavs = sorted(p for p in paths if p.endswith(".wav"))
    clips = np.stack([load_audio(p, sample_rate=RATE)[:RATE] for p in wavs])
    assert len(clips) == 20 and clips.std(axis=1).min() > 1e-3  # not silence
    judge = load_judge()
    heard = np.array(judge.class_names)[predict_waveforms(judge, clips)[0].argmax(axis=1)]
    wanted = [os.path.basename(p).split("_")[0] for p in wavs]
    assert np.mean(heard == np.array(wanted)) >= 0.8, list(zip(heard, wanted))
    takes = [generate_files(os.path.join(SAVED, "spec_gan_digits"), 1, str(tmp_path / f"take_{i}"), label="seven",
                            seed=5, vocoder=os.path.join(SAVED, "wavenet_lpc_vocoder"))[0] for i in range(2)]
    np.testing.assert_array_equal(*[load_audio(p, sample_rate=RATE) for p in takes])  # the same seed, the same audio


def test_shipped_vocoder_resynthesis_keeps_the_word_and_the_spectrum(tmp_path):
    from gan_audio.classification import predict_waveforms
    from gan_audio.judge import load_judge
    from gan_audio.vocoding import vocode_files

    paths, truth = held_out(6, seed=1)
    out = vocode_files(os.path.join(SAVED, "vocoder_small"), paths, str(tmp_path))
    assert len(out) == len(paths)
    original = np.stack([load_audio(p, sample_rate=RATE)[:RATE] for p in paths])
    vocoded = np.stack([load_audio(p, sample_rate=RATE)[:RATE] for p in out])
    assert vocoded.shape == original.shape
    judge = load_judge()
    heard = np.array(judge.class_names)[predict_waveforms(judge, vocoded)[0].argmax(axis=1)]
    assert np.mean(heard == np.array(truth)) >= 5 / 6, list(zip(heard, truth))
    from gan_audio.features import LogMelSpectrogram
    from gan_audio.judge.robustness import resynthesize
    from gan_audio.metrics import log_mel_l1
    from gan_audio.vocoding import open_vocoder

    analysis = open_vocoder(os.path.join(SAVED, "vocoder_small")).serving_metadata()["analysis"]
    log_mel = LogMelSpectrogram(**analysis)
    reference = np.asarray(log_mel(original))
    ours = float(np.mean(log_mel_l1(reference, np.asarray(log_mel(vocoded)))))
    griffin_lim = float(np.mean(log_mel_l1(reference, np.asarray(log_mel(resynthesize(original, 32, **analysis))))))
    assert ours < griffin_lim, (ours, griffin_lim)  # the README's claim, on held-out voices


@pytest.mark.parametrize("name, gain_db", [("mask_denoiser", 5.0), ("wavenet_denoiser", 2.0)])
def test_shipped_denoiser_removes_white_noise_from_a_held_out_voice(tmp_path, name, gain_db):
    from gan_audio.data.mixing import mix_at_snr
    from gan_audio.denoising import denoise_files

    paths, _ = held_out(2, seed=2)
    clean = np.concatenate([load_audio(p, sample_rate=RATE) for p in paths])
    noise = np.random.default_rng(0).standard_normal(len(clean)).astype(np.float32)
    noisy, scaled = mix_at_snr(clean, noise, 5.0, return_clean=True)
    source = write_wav(str(tmp_path / "noisy.wav"), noisy, RATE)
    (out,) = denoise_files(os.path.join(SAVED, name), [source], str(tmp_path / "out"))
    estimate = load_audio(out, sample_rate=RATE)
    assert len(estimate) == len(noisy)
    gain = si_sdr(scaled, estimate) - si_sdr(scaled, noisy)
    assert gain > gain_db, gain


def test_shipped_babble_is_closer_to_held_out_voices_babble_than_noise_with_its_spectrum(tmp_path):
    from gan_audio.data.textures import babble_clips, spectrum_matched_noise
    from gan_audio.generation import generate_files
    from gan_audio.metrics import texture_distance, texture_diversity

    reference = babble_clips("spoken_digits:test", RATE, 2 * RATE, num_textures=24, seed=1)
    training = babble_clips("spoken_digits:train", RATE, 2 * RATE, num_textures=24, seed=0)
    paths = generate_files(os.path.join(SAVED, "gcdg_babble"), 24, str(tmp_path), seed=0, seconds=2.0)
    made = np.stack([load_audio(p, sample_rate=RATE) for p in paths if p.endswith(".wav")])
    assert made.shape == (24, 2 * RATE)
    noise = spectrum_matched_noise(training, 24, seed=0)
    ours = texture_distance(reference, made, sample_rate=RATE)
    assert ours < 0.8 * texture_distance(reference, noise, sample_rate=RATE), ours
    assert texture_diversity(made, reference, sample_rate=RATE) > 0.5  # not one texture for every latent
