"""事项报告: what a retiree must apply for or report (jl-junxiu-rules-2021 第十五条 to
第十八条)."""
