"""`python -m gan_audio` is the `gan-audio` command (see `gan_audio.cli`)."""
import sys

from gan_audio.cli import main

sys.exit(main())
