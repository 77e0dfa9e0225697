-- wrk script: POST one cleaned beer as JSON to /v1/predict (the body the dashboard's form sends).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"name":"Punk IPA 2010 - Current","abv":6.5,"target_og":1060,"target_fg":1012,"ebc":20,"srm":10,"ph":4.4}'
