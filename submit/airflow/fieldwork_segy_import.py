"""Airflow DAG: import each night's SEG-Y deliveries with Fieldwork on a Spark cluster.

Copy to your DAGs folder and set the Airflow Variables `fieldwork_home` (a checkout with the
shaded jar built), `spark_master` and `segy_bucket`. A failed run is safe to retry: the import
skips segments that already finished.
"""
import shlex
from datetime import datetime, timedelta

from airflow import DAG
from airflow.models import Variable
from airflow.operators.bash import BashOperator

with DAG(
    dag_id="fieldwork_segy_import",
    start_date=datetime(2026, 1, 1),
    schedule="@daily",
    catchup=False,
    default_args={"retries": 2, "retry_delay": timedelta(minutes=10)},
    tags=["fieldwork", "seismic"],
) as dag:
    home = Variable.get("fieldwork_home", "/opt/fieldwork")
    master = Variable.get("spark_master", "spark://spark-master:7077")
    bucket = Variable.get("segy_bucket", "s3a://surveys")

    import_segy = BashOperator(
        task_id="segy_import",
        bash_command=(
            f"{home}/submit/fieldwork-submit --master {master} --deploy-mode client "
            "--packages org.apache.hadoop:hadoop-aws:3.3.4 "
            f"--properties-file {home}/conf/spark-defaults.conf -- "
            f"segy import {bucket}/incoming/{{{{ ds }}}}/ {bucket}/imported/{{{{ ds }}}}/ --ensemble-key fldr"
        ),
    )

    gather_report = BashOperator(
        task_id="gather_report",
        bash_command=(
            f"{home}/submit/fieldwork-submit --master {master} --packages org.apache.hadoop:hadoop-aws:3.3.4 -- "
            "sql --format csv " + shlex.quote(  # single quotes: bash leaves the backticks alone
                "SELECT count(*) AS gathers, sum(trace_count) AS traces "
                f"FROM parquet.`{bucket}/imported/{{{{ ds }}}}/*/gathers.parquet`")
        ),
    )

    import_segy >> gather_report
