//! Word files as WPS Office saves them. WPS writes its own package: a KSOProductBuildVer custom
//! property and a wpsCustomData part, numeric style IDs, indents in characters (firstLineChars),
//! VML pictures (w:pict), the page number in a text box of the footer (mc:AlternateContent with a
//! wps:wsp shape and a VML fallback), a line grid, and the fonts of Chinese government documents
//! (方正小标宋简体, 仿宋_GB2312, 黑体) that a Linux machine does not have. The parts below follow
//! that layout. The archive is packed in name order, as a zip tool re-packing the unzipped folder
//! does, so customXml/ and docProps/ (with a preview picture) come first and the file's first 8 KB
//! name no Word part: the kind must come from the archive's directory.

mod common;
use common::*;
use std::io::Write;
use std::path::Path;

const NS: &str = r#"xmlns:wpc="http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" xmlns:v="urn:schemas-microsoft-com:vml" xmlns:wp14="http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:w10="urn:schemas-microsoft-com:office:word" xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml" xmlns:wpg="http://schemas.microsoft.com/office/word/2010/wordprocessingGroup" xmlns:wpi="http://schemas.microsoft.com/office/word/2010/wordprocessingInk" xmlns:wne="http://schemas.microsoft.com/office/word/2006/wordml" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:wpsCustomData="http://www.wps.cn/officeDocument/2013/wpsCustomData" mc:Ignorable="w14 w15 wp14""#;

fn run(font: &str, size: u32, text: &str) -> String {
    format!(
        r#"<w:r><w:rPr><w:rFonts w:hint="eastAsia" w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" w:cs="{font}"/><w:sz w:val="{size}"/><w:szCs w:val="{size}"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr><w:t>{text}</w:t></w:r>"#
    )
}

fn body_paragraph(text: &str) -> String {
    format!(
        r#"<w:p><w:pPr><w:bidi w:val="0"/><w:spacing w:line="560" w:lineRule="exact"/><w:ind w:left="0" w:leftChars="0" w:firstLine="640" w:firstLineChars="200"/><w:jc w:val="both"/><w:rPr><w:rFonts w:hint="eastAsia" w:ascii="仿宋_GB2312" w:hAnsi="仿宋_GB2312" w:eastAsia="仿宋_GB2312" w:cs="仿宋_GB2312"/><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr></w:pPr>{}</w:p>"#,
        run("仿宋_GB2312", 32, text)
    )
}

fn cell(text: &str, width: u32) -> String {
    format!(
        r#"<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr><w:p><w:pPr><w:bidi w:val="0"/><w:jc w:val="center"/></w:pPr>{}</w:p></w:tc>"#,
        run("仿宋_GB2312", 24, text)
    )
}

fn document() -> String {
    let rows =
        [["序号", "合作单位", "活动"], ["1", "香港职业训练局", "师资培训"], ["2", "香港知专设计学院", "学生交流"]];
    let table: String = rows
        .iter()
        .map(|r| {
            format!(
                r#"<w:tr><w:trPr><w:trHeight w:val="454" w:hRule="atLeast"/></w:trPr>{}</w:tr>"#,
                cell(r[0], 1000) + &cell(r[1], 4000) + &cell(r[2], 3300)
            )
        })
        .collect();
    let title = format!(
        r#"<w:p><w:pPr><w:bidi w:val="0"/><w:jc w:val="center"/><w:rPr><w:rFonts w:hint="eastAsia" w:ascii="方正小标宋简体" w:hAnsi="方正小标宋简体" w:eastAsia="方正小标宋简体" w:cs="方正小标宋简体"/><w:sz w:val="44"/><w:szCs w:val="44"/></w:rPr></w:pPr><w:bookmarkStart w:id="0" w:name="_GoBack"/><w:bookmarkEnd w:id="0"/>{}</w:p>"#,
        run("方正小标宋简体", 44, "深港职业教育合作交流情况说明")
    );
    let heading = format!(
        r#"<w:p><w:pPr><w:pStyle w:val="2"/><w:bidi w:val="0"/></w:pPr>{}</w:p>"#,
        run("黑体", 32, "一、合作交流平台建设")
    );
    let picture = r##"<w:p><w:pPr><w:bidi w:val="0"/><w:jc w:val="center"/></w:pPr><w:r><w:pict><v:shape id="_x0000_i1025" o:spt="75" type="#_x0000_t75" style="height:120pt;width:160pt;" filled="f" o:preferrelative="t" stroked="f" coordsize="21600,21600"><v:path/><v:fill on="f" focussize="0,0"/><v:stroke on="f" joinstyle="miter"/><v:imagedata r:id="rId6" o:title=""/><o:lock v:ext="edit" aspectratio="t"/><w10:wrap type="none"/><w10:anchorlock/></v:shape></w:pict></w:r></w:p>"##;
    let page_break = r#"<w:p><w:pPr><w:bidi w:val="0"/></w:pPr><w:r><w:br w:type="page"/></w:r></w:p>"#;
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document {NS}><w:body>{title}{heading}{p1}<w:tbl><w:tblPr><w:tblStyle w:val="5"/><w:tblW w:w="8300" w:type="dxa"/><w:jc w:val="center"/><w:tblInd w:w="0" w:type="dxa"/><w:tblBorders><w:top w:val="single" w:color="auto" w:sz="4" w:space="0"/><w:left w:val="single" w:color="auto" w:sz="4" w:space="0"/><w:bottom w:val="single" w:color="auto" w:sz="4" w:space="0"/><w:right w:val="single" w:color="auto" w:sz="4" w:space="0"/><w:insideH w:val="single" w:color="auto" w:sz="4" w:space="0"/><w:insideV w:val="single" w:color="auto" w:sz="4" w:space="0"/></w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblGrid><w:gridCol w:w="1000"/><w:gridCol w:w="4000"/><w:gridCol w:w="3300"/></w:tblGrid>{table}</w:tbl>{picture}{page_break}{p2}<w:sectPr><w:footerReference r:id="rId4" w:type="default"/><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587" w:header="851" w:footer="992" w:gutter="0"/><w:cols w:space="0" w:num="1"/><w:rtlGutter w:val="0"/><w:docGrid w:type="lines" w:linePitch="312" w:charSpace="0"/></w:sectPr></w:body></w:document>"#,
        p1 = body_paragraph(
            "学校依托粤港澳大湾区区位优势，搭建香港职业教育合作交流平台，与香港院校共建师资培训与学生交流机制。"
        ),
        p2 = body_paragraph("第二页内容：二〇二三年与香港职业训练局签订合作协议。"),
    )
}

/// WPS's page number: a PAGE field in a text box anchored in the footer, with its VML fallback.
fn footer() -> String {
    let field = r#"<w:p><w:pPr><w:pStyle w:val="6"/><w:bidi w:val="0"/><w:jc w:val="center"/></w:pPr><w:r><w:t xml:space="preserve">第 </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE  \* MERGEFORMAT </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t xml:space="preserve"> 页</w:t></w:r></w:p>"#;
    format!(
        r##"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:ftr {NS}><w:p><w:pPr><w:pStyle w:val="6"/><w:bidi w:val="0"/></w:pPr><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0" relativeHeight="251659264" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="margin"><wp:align>center</wp:align></wp:positionH><wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV><wp:extent cx="1143000" cy="230505"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/><wp:docPr id="1" name="文本框 1"/><wp:cNvGraphicFramePr/><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="1143000" cy="230505"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln w="6350"><a:noFill/></a:ln></wps:spPr><wps:txbx><w:txbxContent>{field}</w:txbxContent></wps:txbx><wps:bodyPr vert="horz" wrap="none" lIns="0" tIns="0" rIns="0" bIns="0" anchor="t" anchorCtr="0" upright="0"><a:spAutoFit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape id="_x0000_s4097" o:spid="_x0000_s4097" o:spt="202" type="#_x0000_t202" style="position:absolute;left:0pt;margin-top:0pt;height:18.15pt;width:90pt;mso-position-horizontal:center;mso-position-horizontal-relative:margin;mso-wrap-style:none;z-index:251659264;" filled="f" stroked="f" coordsize="21600,21600"><v:path/><v:fill on="f" focussize="0,0"/><v:stroke on="f" weight="0.5pt"/><v:imagedata o:title=""/><o:lock v:ext="edit" aspectratio="f"/><v:textbox inset="0mm,0mm,0mm,0mm" style="mso-fit-shape-to-text:t;"><w:txbxContent>{field}</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p></w:ftr>"##
    )
}

fn styles() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles {NS}><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:asciiTheme="minorHAnsi" w:hAnsiTheme="minorHAnsi" w:eastAsiaTheme="minorEastAsia" w:cstheme="minorBidi"/><w:kern w:val="2"/><w:sz w:val="21"/><w:szCs w:val="24"/><w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault/></w:docDefaults><w:latentStyles w:count="260" w:defQFormat="0" w:defUnhideWhenUsed="1" w:defSemiHidden="1" w:defUIPriority="99" w:defLockedState="0"><w:lsdException w:name="Normal" w:uiPriority="0" w:semiHidden="0" w:unhideWhenUsed="0" w:qFormat="1"/><w:lsdException w:name="heading 1" w:uiPriority="0" w:semiHidden="0" w:unhideWhenUsed="0" w:qFormat="1"/></w:latentStyles><w:style w:type="paragraph" w:default="1" w:styleId="1"><w:name w:val="Normal"/><w:qFormat/><w:uiPriority w:val="0"/><w:pPr><w:widowControl w:val="0"/><w:jc w:val="both"/></w:pPr><w:rPr><w:rFonts w:asciiTheme="minorHAnsi" w:hAnsiTheme="minorHAnsi" w:eastAsiaTheme="minorEastAsia" w:cstheme="minorBidi"/><w:kern w:val="2"/><w:sz w:val="21"/><w:szCs w:val="24"/><w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="2"><w:name w:val="heading 1"/><w:basedOn w:val="1"/><w:next w:val="1"/><w:qFormat/><w:uiPriority w:val="0"/><w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="340" w:beforeLines="0" w:beforeAutospacing="0" w:after="330" w:afterLines="0" w:afterAutospacing="0" w:line="576" w:lineRule="auto"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:kern w:val="44"/><w:sz w:val="44"/></w:rPr></w:style><w:style w:type="character" w:default="1" w:styleId="3"><w:name w:val="Default Paragraph Font"/><w:semiHidden/><w:uiPriority w:val="0"/></w:style><w:style w:type="table" w:default="1" w:styleId="4"><w:name w:val="Normal Table"/><w:semiHidden/><w:uiPriority w:val="0"/><w:tblPr><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style><w:style w:type="table" w:styleId="5"><w:name w:val="Table Grid"/><w:basedOn w:val="4"/><w:uiPriority w:val="0"/><w:pPr><w:widowControl w:val="0"/><w:jc w:val="both"/></w:pPr><w:tblPr><w:tblBorders><w:top w:val="single" w:color="auto" w:sz="4" w:space="0"/><w:bottom w:val="single" w:color="auto" w:sz="4" w:space="0"/></w:tblBorders></w:tblPr></w:style><w:style w:type="paragraph" w:styleId="6"><w:name w:val="footer"/><w:basedOn w:val="1"/><w:uiPriority w:val="0"/><w:pPr><w:tabs><w:tab w:val="center" w:pos="4153"/><w:tab w:val="right" w:pos="8306"/></w:tabs><w:snapToGrid w:val="0"/><w:jc w:val="left"/></w:pPr><w:rPr><w:sz w:val="18"/></w:rPr></w:style></w:styles>"#
    )
}

const SETTINGS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" xmlns:v="urn:schemas-microsoft-com:vml" xmlns:w10="urn:schemas-microsoft-com:office:word" xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:sl="http://schemas.openxmlformats.org/schemaLibrary/2006/main"><w:zoom w:percent="100"/><w:bordersDoNotSurroundHeader w:val="0"/><w:bordersDoNotSurroundFooter w:val="0"/><w:documentProtection w:enforcement="0"/><w:defaultTabStop w:val="420"/><w:evenAndOddHeaders w:val="0"/><w:drawingGridHorizontalSpacing w:val="105"/><w:drawingGridVerticalSpacing w:val="156"/><w:displayHorizontalDrawingGridEvery w:val="0"/><w:displayVerticalDrawingGridEvery w:val="2"/><w:characterSpacingControl w:val="compressPunctuation"/><w:compat><w:spaceForUL/><w:balanceSingleByteDoubleByteWidth/><w:doNotLeaveBackslashAlone/><w:ulTrailSpace/><w:doNotExpandShiftReturn/><w:adjustLineHeightInTable/><w:useFELayout/><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="14"/><w:compatSetting w:name="overrideTableStyleFontSizeAndJustification" w:uri="http://schemas.microsoft.com/office/word" w:val="1"/><w:compatSetting w:name="enableOpenTypeFeatures" w:uri="http://schemas.microsoft.com/office/word" w:val="1"/><w:compatSetting w:name="doNotFlipMirrorIndents" w:uri="http://schemas.microsoft.com/office/word" w:val="1"/></w:compat><w:docVars><w:docVar w:name="commondata" w:val="eyJoZGlkIjoiMCJ9"/></w:docVars><w:rsids><w:rsidRoot w:val="00000000"/></w:rsids><m:mathPr><m:brkBin m:val="before"/><m:brkBinSub m:val="--"/><m:smallFrac m:val="0"/><m:dispDef/><m:lMargin m:val="0"/><m:rMargin m:val="0"/><m:defJc m:val="centerGroup"/><m:wrapIndent m:val="1440"/><m:intLim m:val="subSup"/><m:naryLim m:val="undOvr"/></m:mathPr><w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/><w:clrSchemeMapping w:bg1="light1" w:t1="dark1" w:bg2="light2" w:t2="dark2" w:accent1="accent1" w:accent2="accent2" w:accent3="accent3" w:accent4="accent4" w:accent5="accent5" w:accent6="accent6" w:hyperlink="hyperlink" w:followedHyperlink="followedHyperlink"/></w:settings>"#;

fn font_table() -> String {
    let font = |name: &str, panose: &str, charset: &str| {
        format!(
            r#"<w:font w:name="{name}"><w:panose1 w:val="{panose}"/><w:charset w:val="{charset}"/><w:family w:val="auto"/><w:pitch w:val="default"/><w:sig w:usb0="00000001" w:usb1="080E0000" w:usb2="00000000" w:usb3="00000000" w:csb0="00040000" w:csb1="00000000"/></w:font>"#
        )
    };
    let fonts: String = [
        ("Times New Roman", "02020603050405020304", "00"),
        ("宋体", "02010600030101010101", "86"),
        ("仿宋_GB2312", "02010609030101010101", "86"),
        ("方正小标宋简体", "02000000000000000000", "86"),
        ("黑体", "02010609060101010101", "86"),
        ("Calibri", "020F0502020204030204", "00"),
    ]
    .iter()
    .map(|(n, p, c)| font(n, p, c))
    .collect();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" mc:Ignorable="w14">{fonts}</w:fonts>"#
    )
}

fn parts(png: Vec<u8>, preview: Vec<u8>) -> Vec<(&'static str, Vec<u8>)> {
    let ct = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="png" ContentType="image/png"/><Default Extension="jpeg" ContentType="image/jpeg"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"/><Override PartName="/customXml/itemProps1.xml" ContentType="application/vnd.openxmlformats-officedocument.customXmlProperties+xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>"#;
    let rels = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties" Target="docProps/custom.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId5" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail" Target="docProps/thumbnail.jpeg"/><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;
    let doc_rels = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml" Target="../customXml/item1.xml"/><Relationship Id="rId6" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image1.png"/><Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;
    let app = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Template>Normal.dotm</Template><Pages>2</Pages><Words>120</Words><Characters>160</Characters><Lines>5</Lines><Paragraphs>3</Paragraphs><TotalTime>12</TotalTime><ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate><CharactersWithSpaces>160</CharactersWithSpaces><Application>WPS Office_11.1.0.9145_F1E327BC-269C-435d-A152-05C5408002CA</Application><DocSecurity>0</DocSecurity></Properties>"#;
    let core = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dcterms:created xsi:type="dcterms:W3CDTF">2023-05-10T01:12:00Z</dcterms:created><dc:creator>Administrator</dc:creator><cp:lastModifiedBy>WPS_1652345678</cp:lastModifiedBy><dcterms:modified xsi:type="dcterms:W3CDTF">2023-05-11T08:30:12Z</dcterms:modified></cp:coreProperties>"#;
    let custom = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="KSOProductBuildVer"><vt:lpwstr>2052-11.1.0.9145</vt:lpwstr></property><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="3" name="ICV"><vt:lpwstr>5E1B6A2C8D0F4A3B9C7E2D1F0A6B8C4D</vt:lpwstr></property></Properties>"#;
    let item = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<s:customData xmlns="http://www.wps.cn/officeDocument/2013/wpsCustomData" xmlns:s="http://www.wps.cn/officeDocument/2013/wpsCustomData"><customSectProps><customSectPr/></customSectProps></s:customData>"#;
    let item_props = r#"<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<ds:datastoreItem ds:itemID="{B1977F7D-205B-4081-913C-38D41E755F92}" xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml"><ds:schemaRefs><ds:schemaRef ds:uri="http://www.wps.cn/officeDocument/2013/wpsCustomData"/></ds:schemaRefs></ds:datastoreItem>"#;
    let item_rels = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXmlProps" Target="itemProps1.xml"/></Relationships>"#;
    let mut parts: Vec<(&'static str, Vec<u8>)> = vec![
        ("[Content_Types].xml", ct.into()),
        ("_rels/.rels", rels.into()),
        ("customXml/_rels/item1.xml.rels", item_rels.into()),
        ("customXml/item1.xml", item.into()),
        ("customXml/itemProps1.xml", item_props.into()),
        ("docProps/app.xml", app.into()),
        ("docProps/core.xml", core.into()),
        ("docProps/custom.xml", custom.into()),
        ("docProps/thumbnail.jpeg", preview),
        ("word/_rels/document.xml.rels", doc_rels.into()),
        ("word/document.xml", document().into_bytes()),
        ("word/fontTable.xml", font_table().into_bytes()),
        ("word/footer1.xml", footer().into_bytes()),
        ("word/media/image1.png", png),
        ("word/settings.xml", SETTINGS.into()),
        ("word/styles.xml", styles().into_bytes()),
    ];
    parts.sort_by(|a, b| a.0.cmp(b.0));
    parts
}

/// A 320×240 picture: a red rectangle on white, so its arrival in the binder can be seen.
fn picture_png() -> Vec<u8> {
    let (w, h) = (320u32, 240u32);
    let mut rgb = Vec::with_capacity((w * h * 3) as usize);
    for y in 0..h {
        for x in 0..w {
            let red = (40..280).contains(&x) && (40..200).contains(&y);
            rgb.extend_from_slice(if red { &[220, 30, 30] } else { &[255, 255, 255] });
        }
    }
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, w, h);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    let mut writer = enc.write_header().unwrap();
    writer.write_image_data(&rgb).unwrap();
    writer.finish().unwrap();
    out
}

fn write_wps_docx(path: &Path) {
    let preview_src = path.with_extension("preview.jpg");
    phone_photo(&preview_src, 1, 640, 480);
    let preview = std::fs::read(&preview_src).unwrap();
    std::fs::remove_file(&preview_src).unwrap();
    let mut z = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, data) in parts(picture_png(), preview) {
        // Pictures stored, XML deflated, as office suites do.
        let method = if name.ends_with(".xml") || name.ends_with(".rels") {
            zip::CompressionMethod::Deflated
        } else {
            zip::CompressionMethod::Stored
        };
        let opts = zip::write::SimpleFileOptions::default().compression_method(method);
        z.start_file(name, opts).unwrap();
        z.write_all(&data).unwrap();
    }
    z.finish().unwrap();
}

#[test]
fn a_word_file_saved_by_wps_builds_with_its_text_table_picture_and_chinese_fonts() {
    let dir = scratch("wps-docx");
    let docx = dir.join("合作交流情况说明（WPS）.docx");
    write_wps_docx(&docx);
    let head = &std::fs::read(&docx).unwrap()[..8192];
    assert!(!head.windows(5).any(|w| w == b"word/"), "the test means the Word parts to start beyond 8 KB");
    let d = serde_json::json!({
        "title": "WPS 文件测试",
        "output": "out/binder.pdf",
        "parts": [{ "title": "第一部分 建设概况", "evidence": [{ "title": "合作交流情况说明", "files": ["合作交流情况说明（WPS）.docx"] }] }]
    });
    std::fs::write(dir.join("dossier.json"), serde_json::to_string_pretty(&d).unwrap()).unwrap();
    let o = dossier(&["build"], &dir);
    assert!(o.status.success(), "{}", stderr(&o));
    let pdf = dir.join("out/binder.pdf");

    // Two pages, as WPS lays the document out: the page break holds.
    let texts: Vec<String> = page_texts(&pdf).iter().map(|t| no_space(t)).collect();
    let first =
        texts.iter().position(|t| t.contains("深港职业教育合作交流情况说明")).expect("the title page of the Word file");
    assert!(texts[first].contains("搭建香港职业教育合作交流平台"), "{}", texts[first]);
    assert!(texts[first].contains("一、合作交流平台建设"), "the heading of numeric style 2: {}", texts[first]);
    for cell in ["合作单位", "香港职业训练局", "香港知专设计学院", "学生交流"] {
        assert!(texts[first].contains(cell), "table cell {cell}: {}", texts[first]);
    }
    // The footer's page number, drawn from a field in a WPS text box.
    assert!(texts[first].contains("第1页"), "{}", texts[first]);
    let second = texts.get(first + 1).expect("the Word file's second page");
    assert!(second.contains("第二页内容") && second.contains("第2页"), "{second}");
    assert!(!texts[first].contains("第二页内容"));

    // Its Chinese is real text in embedded fonts: substitutes for 仿宋_GB2312 and 方正小标宋简体.
    // The binder's own fonts (those of the 目录, page 2) also draw the page number: set aside.
    let fonts_of = |page: usize| -> Vec<String> {
        let n = page.to_string();
        tool("pdffonts", &["-f", &n, "-l", &n, pdf.to_str().unwrap()]).lines().skip(2).map(str::to_string).collect()
    };
    let name = |row: &str| row.split_whitespace().next().unwrap_or_default().to_string();
    let ours: Vec<String> = fonts_of(2).iter().map(|r| name(r)).collect();
    let word: Vec<String> = fonts_of(first + 1).into_iter().filter(|r| !ours.contains(&name(r))).collect();
    for row in &word {
        let cols: Vec<&str> = row.split_whitespace().collect();
        assert!(cols.len() >= 7 && cols[cols.len() - 5] == "yes", "a font not embedded: {row}");
        assert!(!row.contains("Type 3"), "a font drawn as Type 3 outlines: {row}");
    }
    let cjk = ["CJK", "UKai", "UMing", "WenQuanYi", "Droid"];
    assert!(word.iter().any(|r| cjk.iter().any(|c| r.contains(c))), "a CJK font for the Word file's text: {word:?}");

    // The VML picture arrives as an image on that page.
    let b = Binder::open(&pdf);
    let images = b.images();
    assert!(!images.is_empty(), "the picture of the Word file is in the binder");
    let (w, h, px) = render_page(&pdf, first + 1, 40);
    let red = px.chunks(3).filter(|p| p[0] > 180 && p[1] < 90 && p[2] < 90).count();
    assert!(red * 100 > w * h / 2, "the red picture is visible on the page ({red} red pixels of {})", w * h);
}
