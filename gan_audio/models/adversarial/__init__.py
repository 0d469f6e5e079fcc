"""The adversarial bases every GAN family builds on: the step, compile and seed state
(`AdversarialModel`), latent noise (`GAN`), the loss terms, the discriminator contract, the
generator's weight average and the log-mel GAN base (`SpectrogramGAN`)."""
