"""`python -m listparse.spark PATHS --out DIR`, or `spark-submit .../listparse/spark/submit.py PATHS ...`."""

from .submit import main

main()
