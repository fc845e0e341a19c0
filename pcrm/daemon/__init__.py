"""The daemon: `pcrm serve` runs the API app under uvicorn on a loopback address (server.py), records
its run state in PCRM_HOME/run/ (runstate.py) and, in the app's lifespan, the scheduler (scheduler.py)."""
