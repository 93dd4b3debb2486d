import sys

from movelab.synth.cli import main

sys.exit(main())
