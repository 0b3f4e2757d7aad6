# hic: rules are added with the hic pipeline (see the hic issue). Switched by config["hic"]["enabled"].

if config["hic"]["enabled"]:
    pass
