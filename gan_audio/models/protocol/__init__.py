"""What every family shares beyond GANs: presets (`from_preset`), `fit` on datasets, multi-worker
training, the supervised step and the denoisers' contract."""
