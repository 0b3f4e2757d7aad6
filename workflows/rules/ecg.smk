# ecg: rules are added with the ecg pipeline (see the ecg issue). Switched by config["ecg"]["enabled"].

if config["ecg"]["enabled"]:
    pass
