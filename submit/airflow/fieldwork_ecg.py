"""Airflow DAG: analyse each day's scanned or photographed ECG printouts with Fieldwork on a Spark cluster.

Copy to your DAGs folder and set the Airflow Variables `fieldwork_home` (a checkout with the
shaded jar built), `spark_master` and `ecg_bucket`. Every image in the day's folder gets its edge
map, content crop, trace/grid separation, grid spacing and quality gates (many images per Spark
task); the pictures land in `processed/<day>/images/<image>/`. A failed or interrupted run is safe
to retry: it skips the images already done and redoes those that changed.

An image that cannot be read fails on its own and makes the run exit with 1, so the task fails
after its retries; the quality summary runs all the same (trigger rule all_done) and counts those
images as `error`.
"""
import shlex
from datetime import datetime, timedelta

from airflow import DAG
from airflow.models import Variable
from airflow.operators.bash import BashOperator
from airflow.utils.trigger_rule import TriggerRule

with DAG(
    dag_id="fieldwork_ecg",
    start_date=datetime(2026, 1, 1),
    schedule="@daily",
    catchup=False,
    default_args={"retries": 2, "retry_delay": timedelta(minutes=10)},
    tags=["fieldwork", "ecg"],
) as dag:
    home = Variable.get("fieldwork_home", "/opt/fieldwork")
    master = Variable.get("spark_master", "spark://spark-master:7077")
    bucket = Variable.get("ecg_bucket", "s3a://ecg")
    submit = (f"{home}/submit/fieldwork-submit --master {master} --deploy-mode client "
              "--packages org.apache.hadoop:hadoop-aws:3.3.4 "
              f"--properties-file {home}/conf/spark-defaults.conf -- ")
    processed = f"{bucket}/processed/{{{{ ds }}}}/"

    analyse = BashOperator(
        task_id="ecg_images",
        bash_command=(
            submit + f"ecg {bucket}/incoming/{{{{ ds }}}}/ {processed} "
            "--ops edges,crop,color,grid,quality --save-images"
        ),
    )

    # Images per outcome: 'pass', each failed gate (blur, resolution, contrast, grid; an image that
    # fails two gates counts under both) and 'error' for images that could not be analysed.
    # Single-quoted for bash (no backtick command substitution), string literals in double quotes.
    failures_sql = (
        "SELECT CASE WHEN error IS NOT NULL THEN \"error\" WHEN quality_pass THEN \"pass\" "
        "ELSE substring_index(failure, \":\", 1) END AS outcome, count(*) AS images "
        f"FROM parquet.`{processed}results.parquet` LATERAL VIEW OUTER explode(quality_failures) f AS failure "
        "GROUP BY 1 ORDER BY images DESC"
    )
    quality_summary = BashOperator(
        task_id="quality_failures",
        trigger_rule=TriggerRule.ALL_DONE,
        bash_command=submit + "sql --format csv " + shlex.quote(failures_sql),
    )

    analyse >> quality_summary
