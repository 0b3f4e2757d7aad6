# enhancers: rules are added with the enhancers pipeline (see the enhancers issue). Switched by config["enhancers"]["enabled"].

if config["enhancers"]["enabled"]:
    pass
