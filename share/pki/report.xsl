<?xml version="1.0" encoding="UTF-8"?>
<!--
  report.xsl: pki-report's XML (report.xsd) as one HTML page, a
  dashboard a browser shows and a printer prints: the figures that
  matter first, bar charts drawn as inline SVG (products by month, by
  level, disseminations by recipient type), then every section as a
  table.  No script, no style sheet or font or image from elsewhere:
  the page is whole by itself.

  pki-report applies it in-process for its html format (libxslt); the same
  page comes from the XML with
      xsltproc /usr/local/share/pki/report.xsl report.xml
-->
<xsl:stylesheet version="1.0"
                xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:r="urn:x-pki:report:1"
                exclude-result-prefixes="r">

  <xsl:output method="html" encoding="UTF-8" indent="yes"
              doctype-system="about:legacy-compat"/>

  <!-- Geometry of the bar charts, in SVG user units. -->
  <xsl:variable name="key-width" select="190"/>
  <xsl:variable name="bar-width" select="300"/>
  <xsl:variable name="row" select="22"/>

  <xsl:template match="/r:report">
    <html lang="en">
      <head>
        <title>
          <xsl:value-of select="@mission"/>
          <xsl:text> peacekeeping-intelligence report</xsl:text>
          <xsl:if test="@period">
            <xsl:text> </xsl:text>
            <xsl:value-of select="@period"/>
          </xsl:if>
        </title>
        <style>
          body { font-family: sans-serif; margin: 2em auto; max-width: 60em; color: #111; background: #fff; }
          h1 { font-size: 1.5em; margin-bottom: 0.2em; }
          h2 { font-size: 1.15em; border-bottom: 1px solid #999; margin-top: 1.6em; }
          p.scope { color: #444; margin-top: 0; }
          .figures { display: flex; flex-wrap: wrap; gap: 0.8em; margin: 1em 0; }
          .figure { border: 1px solid #bbb; border-radius: 4px; padding: 0.5em 0.9em; min-width: 8em; }
          .figure b { display: block; font-size: 1.6em; }
          .charts { display: flex; flex-wrap: wrap; gap: 1.5em; }
          h3 { font-size: 1em; margin: 0 0 0.3em; }
          svg text { font-family: sans-serif; font-size: 12px; fill: #111; }
          svg rect { fill: #3a6ea5; }
          table { border-collapse: collapse; margin: 0.5em 0 1em; min-width: 24em; }
          caption { text-align: left; font-weight: bold; padding: 0.3em 0; }
          th, td { border: 1px solid #ccc; padding: 0.2em 0.6em; text-align: left; vertical-align: top; }
          td.value { text-align: right; font-variant-numeric: tabular-nums; }
          .none { color: #777; font-style: italic; }
          .sections { column-width: 28em; column-gap: 2em; }
          .sections table { break-inside: avoid; }
          @media print {
            body { margin: 0; max-width: none; font-size: 10pt; }
            svg rect { fill: #555; }
            h2, .chart, table { break-inside: avoid; page-break-inside: avoid; }
          }
        </style>
      </head>
      <body>
        <h1>
          <xsl:choose>
            <xsl:when test="@mission-name">
              <xsl:value-of select="@mission-name"/>
              <xsl:text> (</xsl:text>
              <xsl:value-of select="@mission"/>
              <xsl:text>)</xsl:text>
            </xsl:when>
            <xsl:otherwise><xsl:value-of select="@mission"/></xsl:otherwise>
          </xsl:choose>
          <xsl:text>: peacekeeping-intelligence report</xsl:text>
        </h1>
        <p class="scope">
          <xsl:if test="@period">
            <xsl:value-of select="@period"/>
            <xsl:text>, </xsl:text>
          </xsl:if>
          <xsl:text>from </xsl:text>
          <xsl:choose>
            <xsl:when test="@from"><xsl:value-of select="substring(@from, 1, 10)"/></xsl:when>
            <xsl:otherwise>the beginning</xsl:otherwise>
          </xsl:choose>
          <xsl:text> until </xsl:text>
          <xsl:choose>
            <xsl:when test="@until"><xsl:value-of select="substring(@until, 1, 10)"/></xsl:when>
            <xsl:otherwise>now</xsl:otherwise>
          </xsl:choose>
          <xsl:text> (end excluded). Made </xsl:text>
          <xsl:value-of select="@made"/>
          <xsl:if test="@tip">
            <xsl:text> from commit </xsl:text>
            <xsl:value-of select="substring(@tip, 1, 12)"/>
          </xsl:if>
          <xsl:choose>
            <xsl:when test="@audited = 'true'">, audited.</xsl:when>
            <xsl:otherwise>, not audited.</xsl:otherwise>
          </xsl:choose>
        </p>

        <div class="figures">
          <xsl:call-template name="figure">
            <xsl:with-param name="title">products</xsl:with-param>
            <xsl:with-param name="value" select="r:section[@name='products']/r:item[@key='total']"/>
          </xsl:call-template>
          <xsl:call-template name="figure">
            <xsl:with-param name="title">% classified</xsl:with-param>
            <xsl:with-param name="value" select="r:section[@name='products']/r:item[@key='classified-percent']"/>
          </xsl:call-template>
          <xsl:call-template name="figure">
            <xsl:with-param name="title">disseminations</xsl:with-param>
            <xsl:with-param name="value" select="r:section[@name='disseminations']/r:item[@key='total']"/>
          </xsl:call-template>
          <xsl:call-template name="figure">
            <xsl:with-param name="title">exports</xsl:with-param>
            <xsl:with-param name="value" select="r:section[@name='exports']/r:item[@key='total']"/>
          </xsl:call-template>
          <xsl:call-template name="figure">
            <xsl:with-param name="title">safety products not at UNDSS</xsl:with-param>
            <xsl:with-param name="value" select="r:section[@name='safety']/r:item[@key='not-reached']"/>
          </xsl:call-template>
          <xsl:call-template name="figure">
            <xsl:with-param name="title">overdue reviews</xsl:with-param>
            <xsl:with-param name="value" select="r:section[@name='overdue']/r:item[@key='reviews']"/>
          </xsl:call-template>
          <xsl:if test="@audited = 'true'">
            <xsl:call-template name="figure">
              <xsl:with-param name="title">audit errors</xsl:with-param>
              <xsl:with-param name="value" select="r:section[@name='audit']/r:item[@key='errors']"/>
            </xsl:call-template>
          </xsl:if>
        </div>

        <h2>Charts</h2>
        <div class="charts">
          <xsl:apply-templates select="r:section[@name='products-by-month']" mode="chart"/>
          <xsl:apply-templates select="r:section[@name='products-by-level']" mode="chart"/>
          <xsl:apply-templates select="r:section[@name='disseminations-by-recipient-type']" mode="chart"/>
          <xsl:apply-templates select="r:section[@name='disseminations-by-month']" mode="chart"/>
        </div>

        <h2>Figures</h2>
        <div class="sections">
          <xsl:apply-templates select="r:section"/>
        </div>
      </body>
    </html>
  </xsl:template>

  <xsl:template name="figure">
    <xsl:param name="title"/>
    <xsl:param name="value"/>
    <div class="figure">
      <b><xsl:value-of select="$value"/></b>
      <xsl:value-of select="$title"/>
    </div>
  </xsl:template>

  <!-- A horizontal bar chart of a section: one bar per item. -->
  <xsl:template match="r:section" mode="chart">
    <xsl:variable name="max">
      <xsl:for-each select="r:item">
        <xsl:sort select="number(.)" data-type="number" order="descending"/>
        <xsl:if test="position() = 1"><xsl:value-of select="number(.)"/></xsl:if>
      </xsl:for-each>
    </xsl:variable>
    <xsl:variable name="n" select="count(r:item)"/>
    <xsl:variable name="height" select="$row * $n + 8"/>
    <div class="chart">
      <h3><xsl:value-of select="@title"/></h3>
      <xsl:choose>
        <xsl:when test="$n = 0">
          <p class="none">none</p>
        </xsl:when>
        <xsl:otherwise>
          <svg xmlns="http://www.w3.org/2000/svg" role="img"
               width="{$key-width + $bar-width + 50}" height="{$height}"
               viewBox="0 0 {$key-width + $bar-width + 50} {$height}">
            <title><xsl:value-of select="@title"/></title>
            <xsl:for-each select="r:item">
              <xsl:variable name="y" select="(position() - 1) * $row + 4"/>
              <xsl:variable name="w">
                <xsl:choose>
                  <xsl:when test="$max &gt; 0">
                    <xsl:value-of select="format-number(number(.) div $max * $bar-width, '0.0')"/>
                  </xsl:when>
                  <xsl:otherwise>0</xsl:otherwise>
                </xsl:choose>
              </xsl:variable>
              <text x="{$key-width - 6}" y="{$y + 14}" text-anchor="end">
                <xsl:value-of select="@key"/>
              </text>
              <rect x="{$key-width}" y="{$y + 2}" width="{$w}" height="{$row - 6}"/>
              <text x="{$key-width + $w + 4}" y="{$y + 14}">
                <xsl:value-of select="."/>
              </text>
            </xsl:for-each>
          </svg>
        </xsl:otherwise>
      </xsl:choose>
    </div>
  </xsl:template>

  <!-- Every section as a table. -->
  <xsl:template match="r:section">
    <table>
      <caption><xsl:value-of select="@title"/></caption>
      <xsl:choose>
        <xsl:when test="not(r:item)">
          <tr><td class="none" colspan="3">none</td></tr>
        </xsl:when>
        <xsl:otherwise>
          <xsl:for-each select="r:item">
            <tr>
              <th scope="row"><xsl:value-of select="@key"/></th>
              <td class="value">
                <xsl:choose>
                  <xsl:when test=". = ''">&#8212;</xsl:when>
                  <xsl:otherwise><xsl:value-of select="."/></xsl:otherwise>
                </xsl:choose>
              </td>
              <td><xsl:value-of select="@label"/></td>
            </tr>
          </xsl:for-each>
        </xsl:otherwise>
      </xsl:choose>
    </table>
  </xsl:template>

</xsl:stylesheet>
