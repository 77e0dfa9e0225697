"""The peer for the /v2/beers/random benchmark: the same endpoint in Flask (threaded Werkzeug server), serving
the dataset's beers re-serialised, never the same twice in a row. Usage: python3 flask_peer.py DATA_JSON PORT"""
import json
import random
import sys
import threading

from flask import Flask, Response

beers = [json.dumps(b, ensure_ascii=False, separators=(",", ":")) for b in json.load(open(sys.argv[1], encoding="utf-8"))]
app = Flask(__name__)
lock = threading.Lock()
last = [-1]


@app.get("/v2/beers/random")
def random_beer():
    with lock:
        i = random.randrange(len(beers) - 1)
        if i >= last[0] >= 0:
            i += 1
        last[0] = i
    return Response("[" + beers[i] + "]", mimetype="application/json")


if __name__ == "__main__":
    import logging
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    app.run(host="127.0.0.1", port=int(sys.argv[2]), threaded=True)
