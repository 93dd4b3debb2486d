import sys

from movelab.cli import main

sys.exit(main())
