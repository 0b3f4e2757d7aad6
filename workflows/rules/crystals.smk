# crystals: rules are added with the crystals pipeline (see the crystals issue). Switched by config["crystals"]["enabled"].

if config["crystals"]["enabled"]:
    pass
