"""健康档案 (jl-junxiu-rules-2021 第十九条, bj-junxiu-service-spec 6.4.1): each retiree's yearly
check-up results and hospital stays. Read only by the retiree, family with the 看健康档案 right
and the unit's medical staff; every read is logged and shown to the retiree."""
