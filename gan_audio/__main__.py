"""`python -m gan_audio` runs the `gan-audio` command line."""
import sys

from gan_audio.cli import main

sys.exit(main())
