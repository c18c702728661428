"""Print the path of the spark-submit entry point (`spark-submit "$(python -m listparse.spark.where)" …`)."""

from pathlib import Path

print(Path(__file__).with_name("submit.py"))
