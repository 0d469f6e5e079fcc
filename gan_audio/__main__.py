"""`python -m gan_audio` is the `gan-audio` command (see `gan_audio_cli`)."""
import sys

from gan_audio_cli import main

sys.exit(main())
