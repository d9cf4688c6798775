/** The one style sheet, inlined in every page: a page opened from an email must not depend on a second request. */
export const STYLE = `
*{box-sizing:border-box}
body{margin:0;background:#f4f5f7;color:#1b1b1b;font:17px/1.6 -apple-system,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC",sans-serif;-webkit-text-size-adjust:100%}
main{max-width:42rem;margin:0 auto;padding:.75rem}
header{padding:.25rem .25rem .5rem;color:#444;font-size:.9rem}
section{background:#fff;border:1px solid #dadde2;border-radius:10px;padding:1rem;margin:0 0 .9rem}
h1{font-size:1.35rem;line-height:1.35;margin:.25rem 0 .5rem}
h2{font-size:1.1rem;line-height:1.35;margin:0 0 .6rem}
p{margin:.4rem 0}
.en{color:#5a5f66;font-size:.9em}
.block{display:block}
dl.kv{margin:0}
dl.kv dt{font-weight:600;margin-top:.7rem}
dl.kv dt:first-child{margin-top:0}
dl.kv dd{margin:0;overflow-wrap:anywhere}
ul,ol{padding-left:1.3rem;margin:.4rem 0}
li{margin:.3rem 0}
table{width:100%;border-collapse:collapse;font-size:.95rem}
th,td{text-align:left;vertical-align:top;padding:.4rem .3rem;border-bottom:1px solid #e4e6ea;overflow-wrap:anywhere}
td.num{text-align:right;white-space:nowrap}
details{margin:.6rem 0}
summary{cursor:pointer;font-weight:600;min-height:44px;padding:.5rem 0}
.pre{white-space:pre-wrap;overflow-wrap:anywhere}
.due{font-weight:600;font-size:1.05rem}
.ok{border-left:5px solid #1e7b34}
.warn{border-left:5px solid #b3261e}
.info{border-left:5px solid #0b5cad}
.badge{display:inline-block;background:#b3261e;color:#fff;border-radius:4px;padding:0 .45rem;font-size:.85rem;font-weight:600}
.bad{color:#b3261e;font-weight:600}
fieldset{border:0;padding:0;margin:0 0 .5rem}
legend{font-weight:600;padding:0;margin-bottom:.25rem}
label.choice{display:flex;align-items:center;gap:.8rem;min-height:52px;padding:.6rem .9rem;margin:.55rem 0;border:1px solid #b9bfc7;border-radius:10px;background:#fff}
label.choice input{width:1.5rem;height:1.5rem;flex:none;margin:0}
label.field{display:block;font-weight:600;margin:.9rem 0 .3rem}
textarea,input[type=date],input[type=number]{display:block;width:100%;min-height:52px;padding:.6rem .7rem;font:inherit;border:1px solid #b9bfc7;border-radius:10px;background:#fff}
textarea{min-height:8rem}
button,a.button{display:block;width:100%;min-height:56px;margin:1rem 0 .25rem;padding:.8rem 1rem;font:inherit;font-size:1.1rem;font-weight:600;text-align:center;text-decoration:none;color:#fff;background:#0b5cad;border:0;border-radius:10px}
a.button .en{color:#e3ecf7}
button .en{color:#e3ecf7}
button.secondary{background:#5a5f66}
.hint{color:#444;font-size:.9rem;margin:.1rem 0 .4rem}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
.scroll table{min-width:36rem}
tr.out td{color:#5a5f66}
.task{display:block}
.task.overdue{border-color:#b3261e;background:#fff6f5}
`;
