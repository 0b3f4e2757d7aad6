# pinn: rules are added with the pinn pipeline (see the pinn issue). Switched by config["pinn"]["enabled"].

if config["pinn"]["enabled"]:
    pass
