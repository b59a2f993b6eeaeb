"""Airflow DAG: trace every time lapse the microscope finished overnight with Fieldwork on a Spark cluster.

Copy to your DAGs folder and set the Airflow Variables `fieldwork_home` (a checkout with the
shaded jar built), `spark_master` and `microscopy_bucket`. Each ND2 file in the day's folder is
traced FOV by FOV (one Spark task each); a failed or interrupted run is safe to retry, it skips the
FOVs that already finished and redoes those of a file that changed.
"""
import shlex
from datetime import datetime, timedelta

from airflow import DAG
from airflow.models import Variable
from airflow.operators.bash import BashOperator

with DAG(
    dag_id="fieldwork_microscopy",
    start_date=datetime(2026, 1, 1),
    schedule="@daily",
    catchup=False,
    default_args={"retries": 2, "retry_delay": timedelta(minutes=10)},
    tags=["fieldwork", "microscopy"],
) as dag:
    home = Variable.get("fieldwork_home", "/opt/fieldwork")
    master = Variable.get("spark_master", "spark://spark-master:7077")
    bucket = Variable.get("microscopy_bucket", "s3a://microscopy")
    submit = (f"{home}/submit/fieldwork-submit --master {master} --deploy-mode client "
              "--packages org.apache.hadoop:hadoop-aws:3.3.4 "
              f"--properties-file {home}/conf/spark-defaults.conf -- ")

    traces = BashOperator(
        task_id="microscopy_traces",
        bash_command=(
            submit + f"microscopy {bucket}/acquired/{{{{ ds }}}}/ {bucket}/traced/{{{{ ds }}}}/ --method fieldwork"
        ),
    )

    summary = BashOperator(
        task_id="cells_per_fov",
        bash_command=(
            submit + "sql --format csv " + shlex.quote(  # single quotes: bash leaves the backticks alone
                "SELECT file, fov, count(DISTINCT cell_id) AS cells "
                f"FROM parquet.`{bucket}/traced/{{{{ ds }}}}/traces.parquet` WHERE good GROUP BY file, fov ORDER BY file, fov")
        ),
    )

    traces >> summary
