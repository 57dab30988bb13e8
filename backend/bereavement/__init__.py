"""After a retiree's death: the funeral checklist (jl 第四十条) and the survivors (遗属) the
centre still serves (mva 第十一条（六）, bj 6.3.3, 6.4.1 b))."""
